// Errors on the web pages: a branded page in the person's language with a way forward and a 4xx status
// (the not-found page for an address that does not exist); anything unexpected is logged and shown as
// a plain 500 page, never a stack trace.
import type { Logger } from '../../kernel/http/log.ts';
import { errorPages, HttpError } from '../../kernel/http/errors.ts';
import { acErrorPage, acNotFoundPage } from './layout.ts';
import { at, type AcKey } from './messages.ts';

/** The pages' own refusals, whose texts they show; the kernel's plumbing errors show by status alone. */
export class PageError extends HttpError<AcKey> {
  override name = 'PageError';
}

export const webErrors = (log: Logger) =>
  errorPages<AcKey>({
    log,
    keyOf: (err) => (err instanceof PageError ? err.messageKey : undefined),
    keys: { tooLarge: 'tooLarge', notFound: 'notFound', badRequest: 'badRequest', serverError: 'serverError' },
    answerNotFound: true,
    page: (lang, key, { status }) => (status === 404 && key === 'notFound' ? acNotFoundPage(lang) : acErrorPage(lang, at(lang, key))),
  });
