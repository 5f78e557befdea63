// The IdP's error pages: the shared middleware with the IdP's texts, branded and in the person's
// language with a way forward; API clients get JSON; an address nobody answers is the not-found page
// for a browser (a protocol or API client keeps the plain 404). Inside it: the IdP's static files and
// information pages (frame.ts), so the composition root adds one middleware.
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../../kernel/http/log.ts';
import { errorPages as kernelErrorPages, HttpError } from '../../kernel/http/errors.ts';
import { errorPage, notFoundPage } from './info/views.ts';
import { frameRoutes } from './frame.ts';
import { messages, t, type MessageKey } from './messages.ts';

const isKey = (k: string): k is MessageKey => Object.hasOwn(messages.en, k);

export function errorPages(log: Logger): Middleware {
  const errors = kernelErrorPages<MessageKey>({
    log,
    keyOf: (err) => (err instanceof HttpError && isKey(err.messageKey) ? err.messageKey : undefined),
    keys: { tooLarge: 'tooLarge', notFound: 'notFound', badRequest: 'badRequest', serverError: 'serverError', unavailable: 'unavailable' },
    answerNotFound: 'html',
    page: (lang, key, { status }) => (status === 404 && key === 'notFound' ? notFoundPage(lang) : errorPage(lang, t(lang, key))),
    json: (key) => t('en', key),
  });
  const frame = frameRoutes();
  return (ctx: Context, next: Next) => errors(ctx, () => frame(ctx, next));
}
