// Forms of the interaction are posted only from its own pages: a missing or forged CSRF token is 403.
import type { Context, Next } from 'koa';
import { checkCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';

function requireCsrf(ctx: Context) {
  if (!checkCsrfToken(ctx, (ctx.request.body as Record<string, unknown> | undefined)?.csrf)) throw new HttpError(403, 'csrfError');
}

export async function checkCsrf(ctx: Context, next: Next): Promise<void> {
  requireCsrf(ctx);
  await next();
}
