// The login under way in this interaction; a step-up (the session is there but too weak, or the account's
// IAL too low) starts from the factors the session already proved, so the person does not repeat them.
import type { Context } from 'koa';
import { factorsOfAmr } from '../../oidc/acr.ts';
import type { LoginProgress } from '../progress.ts';
import { loginState, type Interaction } from './state.ts';

/** Reasons for a login prompt that an existing session can answer with more factors, not a new login. */
const STEP_UP_REASONS = new Set(['aal_step_up', 'ial_unmet']);

/** Whether this interaction raises the level of a session of `sub` rather than making a new login. */
export function isStepUp(d: Interaction, sub: string): boolean {
  const reasons = d.prompt.reasons;
  return d.session?.accountId === sub && reasons.length > 0 && reasons.every((r) => STEP_UP_REASONS.has(r));
}

export async function progressOf(ctx: Context): Promise<LoginProgress | undefined> {
  const state = loginState(ctx);
  const { deps, interaction: d } = state;
  let p = await deps.progress.get(d.uid);
  const sub = d.session?.accountId;
  if (!p && sub && isStepUp(d, sub)) {
    const factors = factorsOfAmr(d.session?.amr as string[] | undefined);
    if (factors.length) {
      await deps.progress.seed(d.uid, sub, factors);
      p = await deps.progress.get(d.uid);
    }
  }
  state.stored = Boolean(p);
  if (p) state.progress = p;
  return p;
}
