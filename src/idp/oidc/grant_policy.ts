// The provider-wide grant policy (oidc-provider's loadExistingGrant): consent is remembered per person
// and client, not per browser session, and the first-party account client never asks for it.
import type { Configuration } from 'oidc-provider';
import type { Queryable } from '../../kernel/db/index.ts';
import { ACCOUNT_CLIENT_ID } from './account_client.ts';
import { latestGrantId } from './sessions.ts';

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
    if (!grantId && accountId) grantId = await latestGrantId(db, accountId, clientId);
    if (grantId) return oidc.provider.Grant.find(grantId);
    if (clientId !== ACCOUNT_CLIENT_ID || !accountId) return undefined;
    const grant = new oidc.provider.Grant({ clientId, accountId });
    grant.addOIDCScope('openid');
    await grant.save();
    return grant;
  };
}
