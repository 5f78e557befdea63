// A second factor needs a login under way (a first factor passed, or a session to step up): a post to a
// second-factor step without one is stale (400).
import type { Context, Next } from 'koa';
import { HttpError } from '../../../kernel/http/errors.ts';
import { progressOf } from './progress_of.ts';
import { loginState } from './state.ts';

export async function loginUnderWay(ctx: Context, next: Next): Promise<void> {
  const p = await progressOf(ctx);
  if (!p) throw new HttpError(400, 'sessionExpired');
  loginState(ctx).progress = p;
  await next();
}
