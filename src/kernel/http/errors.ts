// Errors on a service's own routes become a readable page in the person's language (or JSON for API
// clients, where the service asks for it) with a 4xx status; unexpected errors are logged and become a
// plain 500 page. Stack traces and internals never reach the response. Each service gives its texts.
import type { Context, Next } from 'koa';
import type { Logger } from './log.ts';
import { pickLang, type Lang } from './i18n.ts';
import { DatabaseUnavailable } from '../db/index.ts';

/** A refusal with the key of its text. The kernel's own plumbing uses 'badForm', 'tooLarge' and 'csrfError'. */
export class HttpError<K extends string = string> extends Error {
  override name = 'HttpError';
  status: number;
  messageKey: K;
  constructor(status: number, messageKey: K) {
    super(messageKey);
    this.status = status;
    this.messageKey = messageKey;
  }
}

export interface ErrorPages<K extends string> {
  log: Logger;
  /** the text an error brings, when the service shows it; other errors get one of `keys` */
  keyOf: (err: unknown) => K | undefined;
  /** texts by status: 413, 404 (when given; else as any 4xx), any other 4xx, and 500 */
  keys: { tooLarge: K; notFound?: K; badRequest: K; serverError: K; unavailable?: K };
  /**
   * a request that no route answered becomes the not-found page (instead of Koa's plain 404); 'html':
   * only for a client that takes HTML over JSON (an API or protocol client keeps the plain 404)
   */
  answerNotFound?: boolean | 'html';
  /** the page; `status` lets it tell a missing page (404, where the language switch may point at the same address) from an error */
  page: (lang: Lang, key: K, info: { status: number }) => string;
  /** for clients that accept JSON rather than HTML: the English description; without it, always a page */
  json?: (key: K) => string;
}

const wantsJson = (ctx: Context) => ctx.accepts('html', 'json') === 'json';

export function errorPages<K extends string>(o: ErrorPages<K>) {
  function respond(ctx: Context, status: number, key: K) {
    ctx.status = status;
    const lang = pickLang(ctx);
    if (o.json && wantsJson(ctx)) {
      ctx.body = { error: status === 503 ? 'temporarily_unavailable' : status < 500 ? 'invalid_request' : 'server_error', error_description: o.json(key) };
    } else {
      ctx.type = 'html';
      ctx.body = o.page(lang, key, { status });
    }
  }
  return async function errorPagesMiddleware(ctx: Context, next: Next) {
    try {
      await next();
      const unanswered = ctx.status === 404 && (ctx.body === undefined || ctx.body === null);
      if (unanswered && o.keys.notFound && (o.answerNotFound === true || (o.answerNotFound === 'html' && ctx.accepts('json', 'html') === 'html'))) respond(ctx, 404, o.keys.notFound);
    } catch (err) {
      const e = err as { status?: number };
      const status = e.status && e.status >= 400 && e.status < 600 ? e.status : 500;
      if (err instanceof DatabaseUnavailable) {
        // expected during a database restart: one line without a stack, and a time to come back
        o.log.warn({ err: { name: err.name, code: (err.cause as { code?: string } | undefined)?.code } }, 'database unavailable');
        ctx.set('Retry-After', '5');
        return respond(ctx, 503, o.keys.unavailable ?? o.keys.serverError);
      }
      if (status >= 500) {
        o.log.error({ err }, 'unhandled error');
        return respond(ctx, 500, o.keys.serverError);
      }
      respond(ctx, status, o.keyOf(err) ?? (status === 413 ? o.keys.tooLarge : status === 404 && o.keys.notFound ? o.keys.notFound : o.keys.badRequest));
    }
  };
}
