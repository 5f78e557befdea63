// JSON logs. Only method, path (never the query string), status and timing are logged for requests;
// passwords, tokens, OTPs, national ID numbers and phone numbers never reach a log line.
import { pino, type Logger } from 'pino';
import type { Context, Next } from 'koa';

export type { Logger };

export const REDACT = [
  'password', '*.password', 'pid', '*.pid', 'phone_number', '*.phone_number', 'otp', '*.otp',
  'token', '*.token', 'access_token', 'refresh_token', 'id_token', 'code', 'client_secret', '*.client_secret',
  'authorization', '*.authorization', 'cookie', '*.cookie',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'mor-prom-id' }, redact: { paths: REDACT, censor: '[redacted]' } }, destination as never);
}

/** Paths may carry an ID number in later APIs (e.g. /latest-authen-code/{pid}); mask 13-digit runs. */
export function safePath(p: string): string {
  return p.replace(/\d{13}/g, '*************').replace(/\+?\d{9,}/g, '*********');
}

export function requestLog(log: Logger) {
  return async function requestLogMiddleware(ctx: Context, next: Next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      log.info({ method: ctx.method, path: safePath(ctx.path), status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  };
}
