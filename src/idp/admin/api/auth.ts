// Who calls the admin API: a client registered with `admin_api: true` (by an administrator in the
// console or the operator with mpid), with a client-credentials JWT access token of this issuer for
// the resource `${issuer}/admin/api` carrying the scope `admin`. The token is checked here in full
// (signature against the signing keys, typ at+jwt, issuer, audience, expiry, scope) and the client
// must still be registered, enabled and allowed: a disabled client's unexpired token is refused.
import * as jose from 'jose';
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

const PRIVATE = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

export function adminApiCallers(o: { db: Database; issuer: string; jwks: jose.JWK[] }) {
  const keys = jose.createLocalJWKSet({ keys: o.jwks.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !(PRIVATE as readonly string[]).includes(name))) as jose.JWK) });
  const audience = adminApiAudience(o.issuer);

  /** The client id of an allowed caller, from the Authorization header; refuses otherwise. */
  return async function caller(authorization: string | undefined): Promise<string> {
    const token = /^Bearer ([\w.~+/-]+=*)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new AdminApiRefusal(401, 'invalid_token', 'send an access token: Authorization: Bearer <token>');
    let claims: jose.JWTPayload & { client_id?: unknown; scope?: unknown };
    try {
      ({ payload: claims } = await jose.jwtVerify(token, keys, { issuer: o.issuer, audience, typ: 'at+jwt' }));
    } catch {
      throw new AdminApiRefusal(401, 'invalid_token', `the access token is not valid for ${audience} (forged, expired, or for another resource)`);
    }
    const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
    if (!clientId || claims.sub !== clientId) throw new AdminApiRefusal(403, 'insufficient_scope', 'the admin API takes a client-credentials token of an admin client, not a person’s token');
    if (!String(claims.scope ?? '').split(' ').includes(ADMIN_SCOPE)) throw new AdminApiRefusal(403, 'insufficient_scope', `the token lacks the scope ${ADMIN_SCOPE}`);
    const client = await findClientRecord(o.db, clientId);
    if (!client || client.disabled || client.metadata.admin_api !== true) throw new AdminApiRefusal(403, 'insufficient_scope', `client ${clientId} may not use the admin API`);
    return clientId;
  };
}
