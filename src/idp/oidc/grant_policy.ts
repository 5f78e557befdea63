// The provider-wide grant policy (oidc-provider's loadExistingGrant and revokeGrantPolicy): consent is
// remembered per person and client, not per browser session (logging out ends the tokens, not the
// consent), and the first-party account client never asks for it.
import type { Configuration } from 'oidc-provider';
import type { Queryable } from '../../kernel/db/index.ts';
import { ACCOUNT_CLIENT_ID } from './account_client.ts';
import { latestGrant } from './sessions.ts';
import { prefetch } from './prefetch.ts';

/**
 * A person who allowed a client is not asked again when they log in on another device (unless the
 * client asks with prompt=consent or for more than was allowed). The first-party account client gets
 * its openid-only grant without asking.
 */
export function existingGrantLoader(db: Queryable) {
  return async function loadExistingGrant(ctx: Parameters<NonNullable<Configuration['loadExistingGrant']>>[0]) {
    const { oidc } = ctx;
    const clientId = oidc.client!.clientId;
    const accountId = oidc.session!.accountId;
    let grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(clientId);
    if (!grantId && accountId) {
      const latest = await latestGrant(db, accountId, clientId);
      // the Grant.find below takes the row just read instead of reading it again
      if (latest) prefetch('Grant', latest.id, latest.payload);
      grantId = latest?.id;
    }
    if (grantId) return oidc.provider.Grant.find(grantId);
    if (clientId !== ACCOUNT_CLIENT_ID || !accountId) return undefined;
    const grant = new oidc.provider.Grant({ clientId, accountId });
    grant.addOIDCScope('openid');
    await grant.save();
    return grant;
  };
}

/**
 * Which revocations also delete the grant (the consent). Logging out ends the session's codes and
 * tokens but keeps the consent, so the next login of that client does not ask again; revoking one
 * access token keeps it too (oidc-provider's default); every other revocation deletes it.
 */
export function revokeGrantPolicy(ctx: Parameters<NonNullable<Configuration['revokeGrantPolicy']>>[0]): boolean {
  if (ctx.oidc.route === 'end_session_confirm') return false;
  if (ctx.oidc.route === 'revocation' && ctx.oidc.entities.AccessToken) return false;
  return true;
}
