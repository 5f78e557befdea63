// Errors in the JSON shape hospital systems already parse from the agent (Spring Boot's):
// {timestamp, status, error, message, path, errors: [{codes, arguments, defaultMessage, objectName, code}]}
// A client reads errors[0].defaultMessage; `code` is ours and stable, for systems that want to branch.
import type { Context, Next } from 'koa';
import type { Logger } from '../../kernel/http/log.ts';

const REASON: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export class ApiError extends Error {
  override name = 'ApiError';
  status: number;
  code: string;
  extra: Record<string, unknown>;
  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

export function apiErrorBody(ctx: Context, status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return {
    timestamp: new Date().toISOString(),
    status,
    error: REASON[status] ?? 'Error',
    message,
    path: ctx.path.replace(/\d{13}/g, '{pid}'),
    errors: [{ codes: [code], arguments: null, defaultMessage: message, objectName: 'request', code }],
    ...extra,
  };
}

export function apiErrors(log: Logger) {
  return async function apiErrorsMiddleware(ctx: Context, next: Next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError(404, 'not_found', 'no such endpoint');
    } catch (err) {
      if (err instanceof ApiError) {
        ctx.status = err.status;
        ctx.body = apiErrorBody(ctx, err.status, err.code, err.message, err.extra);
        if (err.status === 401) ctx.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${err.message.replace(/[^\x20-\x7e]|"/g, '')}"`);
        return;
      }
      const status = (err as { status?: number }).status;
      if (status && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = status === 405 ? apiErrorBody(ctx, 405, 'method_not_allowed', 'this method is not allowed here') : apiErrorBody(ctx, status, 'bad_request', status === 413 ? 'the request body is too large' : 'the request could not be read');
        return;
      }
      log.error({ err }, 'unhandled API error');
      ctx.status = 500;
      ctx.body = apiErrorBody(ctx, 500, 'server_error', 'the service could not complete the request');
    }
  };
}
