// The IdP's error pages: the shared middleware with the IdP's texts; API clients get JSON.
import type { Logger } from '../../kernel/http/log.ts';
import { errorPages as kernelErrorPages, HttpError } from '../../kernel/http/errors.ts';
import { messagePage } from '../login/views/message.ts';
import { messages, t, type MessageKey } from './messages.ts';

const isKey = (k: string): k is MessageKey => Object.hasOwn(messages.en, k);

export const errorPages = (log: Logger) =>
  kernelErrorPages<MessageKey>({
    log,
    keyOf: (err) => (err instanceof HttpError && isKey(err.messageKey) ? err.messageKey : undefined),
    keys: { tooLarge: 'tooLarge', badRequest: 'badRequest', serverError: 'serverError' },
    page: (lang, key) => messagePage({ lang, title: t(lang, 'errorTitle'), message: t(lang, key) }),
    json: (key) => t('en', key),
  });
