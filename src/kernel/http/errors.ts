// Errors on our own routes become a readable page (or JSON for API clients) with a 4xx status;
// unexpected errors become a plain 500 page. Stack traces and internals never reach the response.
import type { Context, Next } from 'koa';
import type { Logger } from './log.ts';
import { pickLang } from './i18n.ts';
import { messagePage } from '../../idp/login/views/message.ts';
import { messages, t, type MessageKey } from '../../idp/web/messages.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  status: number;
  messageKey: MessageKey;
  constructor(status: number, messageKey: MessageKey) {
    super(messages.en[messageKey]);
    this.status = status;
    this.messageKey = messageKey;
  }
}

const wantsJson = (ctx: Context) => ctx.accepts('html', 'json') === 'json';

export function errorPages(log: Logger) {
  return async function errorPagesMiddleware(ctx: Context, next: Next) {
    try {
      await next();
    } catch (err) {
      const e = err as { status?: number; expose?: boolean; message?: string };
      let status = e.status && e.status >= 400 && e.status < 600 ? e.status : 500;
      let key: MessageKey = err instanceof HttpError ? err.messageKey : status === 413 ? 'tooLarge' : status < 500 ? 'badRequest' : 'serverError';
      if (status >= 500) {
        log.error({ err }, 'unhandled error');
        status = 500;
        key = 'serverError';
      }
      ctx.status = status;
      const lang = pickLang(ctx);
      if (wantsJson(ctx)) {
        ctx.body = { error: status < 500 ? 'invalid_request' : 'server_error', error_description: t('en', key) };
      } else {
        ctx.type = 'html';
        ctx.body = messagePage({ lang, title: t(lang, 'errorTitle'), message: t(lang, key) });
      }
    }
  };
}
