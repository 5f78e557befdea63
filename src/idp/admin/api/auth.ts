// Who calls the admin API: a client registered with `admin_api: true` (by an administrator in the
// console or the operator with mpid), with a client-credentials JWT access token of this issuer for
// the resource `${issuer}/admin/api` carrying the scope `admin`. The token is checked here in full
// (signature against the signing keys, typ at+jwt, issuer, audience, expiry, scope) and the client
// must still be registered, enabled and allowed: a disabled client's unexpired token is refused.
import type * as jose from 'jose';
import { AccessTokenError, accessTokenVerifier, type AccessToken } from '../../../kernel/http/access_token.ts';
import type { Database } from '../../../kernel/db/index.ts';
import { findClientRecord } from '../../oidc/clients.ts';

export const ADMIN_SCOPE = 'admin';
export const adminApiAudience = (issuer: string) => `${issuer}/admin/api`;

export class AdminApiRefusal extends Error {
  readonly status: 401 | 403;
  readonly code: 'invalid_token' | 'insufficient_scope';
  constructor(status: 401 | 403, code: 'invalid_token' | 'insufficient_scope', description: string) {
    super(description);
    this.status = status;
    this.code = code;
  }
}

export function adminApiCallers(o: { db: Database; issuer: string; jwks: jose.JWK[] }) {
  const audience = adminApiAudience(o.issuer);
  const verify = accessTokenVerifier({ issuer: o.issuer, audience, keys: o.jwks });

  /** The client id of an allowed caller, from the Authorization header; refuses otherwise. */
  return async function caller(authorization: string | undefined): Promise<string> {
    let token: AccessToken;
    try {
      token = await verify(authorization);
    } catch (err) {
      if (!(err instanceof AccessTokenError)) throw err;
      throw new AdminApiRefusal(401, 'invalid_token', err.reason === 'missing' ? 'send an access token: Authorization: Bearer <token>' : `the access token is not valid for ${audience} (forged, expired, or for another resource)`);
    }
    const { clientId, claims } = token;
    if (!clientId || claims.sub !== clientId) throw new AdminApiRefusal(403, 'insufficient_scope', 'the admin API takes a client-credentials token of an admin client, not a person’s token');
    if (!token.scopes.includes(ADMIN_SCOPE)) throw new AdminApiRefusal(403, 'insufficient_scope', `the token lacks the scope ${ADMIN_SCOPE}`);
    const client = await findClientRecord(o.db, clientId);
    if (!client || client.disabled || client.metadata.admin_api !== true) throw new AdminApiRefusal(403, 'insufficient_scope', `client ${clientId} may not use the admin API`);
    return clientId;
  };
}
