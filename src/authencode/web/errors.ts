// Errors on the web pages: a readable page in the person's language with a 4xx status; anything
// unexpected is logged and shown as a plain 500 page, never a stack trace.
import type { Context, Next } from 'koa';
import type { Logger } from '../../kernel/http/log.ts';
import { pickLang } from '../../kernel/http/i18n.ts';
import { acMessagePage } from './layout.ts';
import { at, type AcKey } from './messages.ts';

export class PageError extends Error {
  override name = 'PageError';
  status: number;
  key: AcKey;
  constructor(status: number, key: AcKey) {
    super(key);
    this.status = status;
    this.key = key;
  }
}

export function webErrors(log: Logger) {
  return async function webErrorsMiddleware(ctx: Context, next: Next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new PageError(404, 'notFound');
    } catch (err) {
      const e = err as { status?: number };
      let status = err instanceof PageError ? err.status : e.status && e.status >= 400 && e.status < 500 ? e.status : 500;
      let key: AcKey = err instanceof PageError ? err.key : status === 413 ? 'tooLarge' : status === 404 ? 'notFound' : 'badRequest';
      if (status >= 500) {
        log.error({ err }, 'unhandled error');
        status = 500;
        key = 'serverError';
      }
      const lang = pickLang(ctx);
      ctx.status = status;
      ctx.type = 'html';
      ctx.body = acMessagePage({ lang, title: at(lang, 'errorTitle'), message: at(lang, key) });
    }
  };
}
