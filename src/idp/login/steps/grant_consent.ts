// Consent: the scopes, claims and resource scopes the person allowed are added to the grant for this
// account and client (kept across sessions), then the authorization carries on.
import type { Context } from 'koa';
import { audit } from '../../../kernel/audit/index.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { finishInteraction } from './finish_interaction.ts';
import { loginState } from './state.ts';

export async function grantConsent(ctx: Context): Promise<void> {
  const { deps, interaction: d } = loginState(ctx);
  const { provider, db } = deps;
  if (d.prompt.name !== 'consent' || !d.session?.accountId) throw new HttpError(400, 'sessionExpired');
  const { accountId } = d.session;
  const clientId = String(d.params.client_id);
  const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new HttpError(400, 'sessionExpired');
  const det = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (det.missingOIDCScope) grant.addOIDCScope(det.missingOIDCScope.join(' '));
  if (det.missingOIDCClaims) grant.addOIDCClaims(det.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(det.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await audit(db, { actor: accountId, action: 'consent.granted', subject: accountId, clientAddress: ctx.ip, detail: { client_id: clientId, scope: det.missingOIDCScope ?? [] } });
  await finishInteraction(ctx, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
