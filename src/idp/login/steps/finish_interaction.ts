// Ends the interaction with its result and sends the browser back to the authorization, as
// oidc-provider's interactionFinished does, on the record loadInteraction already read for this
// request (interactionFinished would read it from the database again).
import type { Context } from 'koa';
import type { InteractionResults } from 'oidc-provider';
import { loginState } from './state.ts';

export async function finishInteraction(ctx: Context, result: InteractionResults, o: { mergeWithLastSubmission: boolean }): Promise<void> {
  const d = loginState(ctx).interaction;
  d.result = o.mergeWithLastSubmission && !('error' in result) ? { ...d.lastSubmission, ...result } : result;
  await d.save(d.exp - Math.floor(Date.now() / 1000));
  ctx.status = 303;
  ctx.redirect(d.returnTo);
}
