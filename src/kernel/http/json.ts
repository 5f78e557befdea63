// JSON bodies for the few script-driven endpoints (passkeys): small, JSON only, CSRF token in the
// x-csrf-token header; anything else is refused with a clear 4xx.
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { HttpError } from './errors.ts';
import { requireCsrf } from './csrf.ts';

export function jsonBody(limit = '32kb') {
  const parse = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    onError: (err) => {
      throw (err as { status?: number }).status === 413 ? new HttpError(413, 'tooLarge') : new HttpError(400, 'badForm');
    },
  });
  return async function jsonBodyMiddleware(ctx: Context, next: Next) {
    if (!ctx.is('application/json')) throw new HttpError(415, 'badForm');
    requireCsrf(ctx, { token: ctx.get('x-csrf-token') });
    await parse(ctx, next);
  };
}
