// The person cannot reach the level asked for: back to the client with unmet_authentication_requirements
// (OpenID Connect Core), so the client can say so instead of waiting.
import type { Context } from 'koa';
import { finishInteraction } from './finish_interaction.ts';
import { loginState } from './state.ts';

export async function giveUp(ctx: Context): Promise<void> {
  const { deps, interaction: d } = loginState(ctx);
  await deps.progress.clear(d.uid);
  await finishInteraction(
    ctx,
    { error: 'unmet_authentication_requirements', error_description: 'the requested authentication or identity assurance level cannot be reached for this account' },
    { mergeWithLastSubmission: false },
  );
}
