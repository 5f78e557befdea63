// A passed factor is kept with the interaction (login_progress) so the next step builds on it; a factor
// for another account than the one under way starts the login afresh.
import type { Context } from 'koa';
import type { Factor } from '../../oidc/acr.ts';
import type { LoginProgress } from '../progress.ts';
import { loginState } from './state.ts';

export async function recordFactor(ctx: Context, sub: string, factor: Factor): Promise<LoginProgress> {
  const state = loginState(ctx);
  state.progress = await state.deps.progress.pass(state.interaction.uid, sub, factor);
  return state.progress;
}
