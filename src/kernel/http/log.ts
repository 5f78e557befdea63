// JSON logs. Only method, path (never the query string), status, timing and the request id are logged for requests;
// passwords, tokens, OTPs, national ID numbers and phone numbers never reach a log line, nor does the
// message of a database error (it quotes the values sent).
import { pino, type Logger } from 'pino';
import type { Context, Next } from 'koa';
import type { BlockList } from 'node:net';
import { currentRequestId, requestId } from './request_id.ts';
import { httpMetrics } from '../metrics/http.ts';
import type { ServiceMetrics } from '../metrics/index.ts';

export type { Logger };

export const REDACT = [
  'password', '*.password', 'pid', '*.pid', 'phone_number', '*.phone_number', 'otp', '*.otp',
  'token', '*.token', 'access_token', 'refresh_token', 'id_token', 'code', 'client_secret', '*.client_secret',
  'authorization', '*.authorization', 'cookie', '*.cookie',
];

/**
 * Standard output, written in blocks of up to LOG_BUFFER bytes and at least every LOG_FLUSH_MS (one
 * system call per block instead of one per line: the write was a tenth of a token request's CPU). What
 * is buffered is written when the process exits, an uncaught error included; only a SIGKILL can lose
 * it (at most LOG_FLUSH_MS of lines).
 */
const LOG_BUFFER = 8 * 1024;
const LOG_FLUSH_MS = 200;
let stdoutDestination: ReturnType<typeof pino.destination> | undefined;
function bufferedStdout() {
  if (stdoutDestination) return stdoutDestination;
  const dest = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER });
  setInterval(() => dest.flush(), LOG_FLUSH_MS).unref();
  process.on('exit', () => dest.flushSync());
  return (stdoutDestination = dest);
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'mor-prom-id' },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: loggableError },
      // every line written while a request runs names it (src/kernel/http/request_id.ts)
      mixin: () => {
        const id = currentRequestId();
        return id ? { request_id: id } : {};
      },
    },
    (destination ?? (level === 'silent' ? undefined : bufferedStdout())) as never,
  );
}

/**
 * Paths may carry an ID number or a phone number (e.g. /latest-authen-code/{pid}), however it is
 * written: 3-1017-00203-45-9, with spaces, percent-encoded. Escapes are decoded and separators skipped
 * before digits are counted; the run is masked in the spelling it came in.
 */
export function safePath(p: string): string {
  if (!MAY_HIDE_DIGITS.test(p)) return p;
  // each unit of the path: its spelling (a character or a %XX escape) and the character it stands for
  const units: Array<{ raw: string; ch: string }> = [];
  for (let i = 0; i < p.length; i++) {
    const escape = p[i] === '%' && /^[0-9a-fA-F]{2}$/.test(p.slice(i + 1, i + 3));
    units.push(escape ? { raw: p.slice(i, i + 3), ch: String.fromCharCode(parseInt(p.slice(i + 1, i + 3), 16)) } : { raw: p[i]!, ch: p[i]! });
    if (escape) i += 2;
  }
  const isDigit = (u: { ch: string } | undefined) => u !== undefined && u.ch >= '0' && u.ch <= '9';
  let out = '';
  let i = 0;
  while (i < units.length) {
    const start = i;
    if (!isDigit(units[i]) && !(units[i]!.ch === '+' && isDigit(units[i + 1]))) {
      out += units[i++]!.raw;
      continue;
    }
    // a run: digits, and separators between them
    let last = start;
    let digits = 0;
    for (let j = start; j < units.length && (isDigit(units[j]) || SEPARATOR.test(units[j]!.ch)); j++) {
      if (isDigit(units[j])) {
        digits++;
        last = j;
      }
    }
    out += digits === 13 ? '*'.repeat(13) : digits >= 9 ? '*'.repeat(9) : units.slice(start, last + 1).map((u) => u.raw).join('');
    i = last + 1;
  }
  return out;
}

const SEPARATOR = /^[\s().\-_+]$/;
// a path with neither a digit nor an escape (which may stand for one) has nothing to mask
const MAY_HIDE_DIGITS = /[0-9%]/;

/**
 * What a log line may say about an error. A database error is logged by its SQLSTATE code, table and
 * constraint only: its message, detail and parameters echo the values sent (`invalid input syntax for
 * type bigint: "…"`, `Key (pid)=(…) already exists`).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  const e = (err ?? {}) as Record<string, unknown>;
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string') {
    return { name: 'DatabaseError', code: e.code, ...(e.table ? { table: e.table } : {}), ...(e.constraint ? { constraint: e.constraint } : {}) };
  }
  return { name: e.name, message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}), stack: e.stack };
}

/** All a request's log line says (and the request id). */
interface RequestLine {
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** The first middleware of a service: the request id (kept from `requestIdFrom`, else new), the HTTP
 *  metrics when `metrics` is given, and one log line per request. */
export function requestLog(log: Logger, opts: { requestIdFrom?: BlockList; metrics?: ServiceMetrics } = {}) {
  // The request line's fields are these four and the request id, none of them a redacted name, and the
  // path is masked above: redaction could not change the line, yet its walk over every field was 3 % of
  // a token request's CPU. Every other line keeps it.
  const requestLine = log.child({}, { redact: { paths: [] } });
  const line = async function requestLogMiddleware(ctx: Context, next: Next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const fields: RequestLine = { method: ctx.method, path: safePath(ctx.path), status: ctx.status, ms: Math.round(performance.now() - started) };
      requestLine.info(fields, 'request');
    }
  };
  const id = requestId(opts.requestIdFrom);
  const measured = opts.metrics ? httpMetrics(opts.metrics) : undefined;
  return (ctx: Context, next: Next) => id(ctx, () => (measured ? measured(ctx, () => line(ctx, next)) : line(ctx, next)));
}
