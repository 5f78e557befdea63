// The login under way of one request, and when login_progress gets it: a factor passed here is noted in
// the request's state, and kept (written, merged with what the row holds) only when the login goes on to
// a next step, so a login that one factor completes writes nothing there.
import type { Context } from 'koa';
import type { Factor } from '../../oidc/acr.ts';
import type { LoginProgress } from '../progress.ts';
import { loginState } from './state.ts';

/** The factor joins the login under way of this request, not yet written. */
export async function noteFactor(ctx: Context, sub: string, factor: Factor): Promise<LoginProgress> {
  const state = loginState(ctx);
  // read once per request: a step that found the login under way (loginUnderWay, a passkey) has it
  const before = state.stored === undefined ? await state.deps.progress.get(state.interaction.uid) : state.progress;
  state.stored ??= Boolean(before);
  const same = before?.sub === sub;
  state.progress = { sub, factors: same ? [...new Set([...before.factors, factor])] : [factor], smsOtpId: same ? before.smsOtpId : null };
  state.unsaved = true;
  return state.progress;
}

/** Writes a factor noted in this request to login_progress, merged with what is there. */
export async function keepProgress(ctx: Context): Promise<void> {
  const state = loginState(ctx);
  if (!state.unsaved || !state.progress) return;
  state.progress = await state.deps.progress.save(state.interaction.uid, state.progress.sub, state.progress.factors);
  state.stored = true;
  state.unsaved = false;
}
