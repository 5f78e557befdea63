// The person declined (at login or at consent): back to the client with access_denied, audited when a
// session says who declined.
import type { Context } from 'koa';
import { audit } from '../../../kernel/audit/index.ts';
import { t } from '../../web/messages.ts';
import { finishInteraction } from './finish_interaction.ts';
import { loginState } from './state.ts';

export async function abortInteraction(ctx: Context): Promise<void> {
  const { deps, interaction: d } = loginState(ctx);
  await deps.progress.clear(d.uid);
  await finishInteraction(
    ctx,
    { error: 'access_denied', error_description: t('en', 'deniedDescription') },
    { mergeWithLastSubmission: false },
  );
  if (d.session?.accountId) await audit(deps.db, { actor: d.session.accountId, action: 'consent.denied', subject: d.session.accountId, detail: { client_id: d.params.client_id } });
}
