// A passed factor joins the login under way in this interaction; a factor for another account than the
// one under way starts the login afresh. passFactor then advances (login_progress keeps the factor only
// when the login goes on to a next step); recordFactor keeps it at once, for a step that answers
// otherwise (a passkey's JSON answer, after which the browser comes back to the interaction).
import type { Context } from 'koa';
import type { Factor } from '../../oidc/acr.ts';
import type { LoginProgress } from '../progress.ts';
import { advance } from './advance.ts';
import { keepProgress, noteFactor } from './keep_progress.ts';
import { loginState } from './state.ts';

export async function recordFactor(ctx: Context, sub: string, factor: Factor): Promise<LoginProgress> {
  await noteFactor(ctx, sub, factor);
  await keepProgress(ctx);
  return loginState(ctx).progress!;
}

export async function passFactor(ctx: Context, sub: string, factor: Factor): Promise<void> {
  await noteFactor(ctx, sub, factor);
  await advance(ctx);
}
