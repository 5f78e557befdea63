// Errors in the JSON shape hospital systems already parse from the NHSO agent (Spring Boot's):
// {timestamp, status, error, message, path, errors: [{codes, arguments, defaultMessage, objectName, code}]}
// with the status codes they branch on: 418 no reader, 500 no card. `code` at the top level is ours
// and stable (the services' card-read pages branch on it).
import type { CardErrorCode } from '../card/errors.ts';
import { Refused } from '../refused.ts';

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export const CARD_STATUS: Record<CardErrorCode, number> = {
  no_reader: 418,
  pcsc_unavailable: 418,
  no_card: 500,
  card_removed: 500,
  timeout: 504,
  not_thai_id: 422,
  malformed: 422,
  reader_busy: 409,
};

const CARD_MESSAGE: Record<CardErrorCode, string> = {
  no_reader: 'no card reader is connected to this computer',
  pcsc_unavailable: 'the smart card service (PC/SC: pcscd on Linux, Smart Card service on Windows) is not running',
  no_card: 'there is no card in the reader',
  card_removed: 'the card was removed while it was being read; insert it again',
  timeout: 'the card did not answer in time; take it out and insert it again',
  not_thai_id: 'the card in the reader is not a Thai national ID card',
  malformed: 'the card gave data that cannot be read as a Thai national ID card',
  reader_busy: 'the card reader is in use by another program',
};

const REASON: Record<number, string> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** A call to the local API refused (bad body, foreign origin, unknown path…). */
export class HttpError extends Refused implements Refusal {
  override name = 'HttpError';
}

const isCardCode = (c: unknown): c is CardErrorCode => typeof c === 'string' && Object.hasOwn(CARD_STATUS, c);

/** Any error thrown while answering, as what the caller is told; undefined for a bug (answered 500, logged). */
export function refusalOf(err: unknown): Refusal | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { status?: unknown; code?: unknown };
  if (e.name === 'CardError' && isCardCode(e.code)) return { status: CARD_STATUS[e.code], code: e.code, message: CARD_MESSAGE[e.code] };
  if (typeof e.status === 'number' && typeof e.code === 'string') return { status: e.status, code: e.code, message: e.message };
  return undefined;
}

export function springError(r: Refusal, path: string) {
  return {
    timestamp: new Date().toISOString(),
    status: r.status,
    error: REASON[r.status] ?? 'Error',
    message: r.message,
    path: path.replace(/\d{13}/g, '{pid}'),
    errors: [{ codes: [r.code], arguments: null, defaultMessage: r.message, objectName: 'request', code: r.code }],
    code: r.code,
  };
}
