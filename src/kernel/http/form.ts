// Form bodies for our own pages: urlencoded only, small, anything else refused with a clear 4xx.
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { HttpError } from './errors.ts';

export function formBody(limit = '16kb') {
  const parse = bodyParser({ enableTypes: ['form'], formLimit: limit, onError: (err) => {
      throw (err as { status?: number }).status === 413 ? new HttpError(413, 'tooLarge') : new HttpError(400, 'badForm');
    },
  });
  return async function formBodyMiddleware(ctx: Context, next: Next) {
    if (!ctx.is('application/x-www-form-urlencoded')) throw new HttpError(415, 'badForm');
    await parse(ctx, next);
  };
}
