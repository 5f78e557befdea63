// The JWT access tokens (RFC 9068) that Mor Prom ID issues for a resource server, checked by that
// resource server: the Bearer header (RFC 6750), the signature against the issuer's keys, typ at+jwt,
// issuer, audience and expiry (30 s of clock tolerance). Each API then applies its own rules (scope,
// which clients) and says each failure in its own error shape; `reason` tells it what failed.
import * as jose from 'jose';

export type AccessTokenFailure = 'missing' | 'malformed' | 'expired' | 'audience' | 'keys_unreachable' | 'invalid';

export class AccessTokenError extends Error {
  override name = 'AccessTokenError';
  readonly reason: AccessTokenFailure;
  constructor(reason: AccessTokenFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface AccessToken {
  claims: jose.JWTPayload & Record<string, unknown>;
  /** the client the token was issued to */
  clientId: string | undefined;
  scopes: string[];
}

/** The members of a public signing key: anything else (a private part) never reaches a key set. */
const PUBLIC = new Set(['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use']);
export const publicKeys = (jwks: jose.JWK[]): jose.JWK[] => jwks.map((k) => Object.fromEntries(Object.entries(k).filter(([name, v]) => PUBLIC.has(name) && v !== undefined)) as jose.JWK);

/**
 * A verifier for one audience. `keys` is the issuer's key set: its signing keys in the same process,
 * or a function that finds its JWKS (another service, fetched once and cached by jose).
 */
export function accessTokenVerifier(o: { issuer: string; audience: string; keys: jose.JWK[] | (() => Promise<jose.JWTVerifyGetKey>) }) {
  const local = Array.isArray(o.keys) ? jose.createLocalJWKSet({ keys: publicKeys(o.keys) }) : undefined;
  const keys = Array.isArray(o.keys) ? undefined : o.keys;
  return async function verify(authorization: string | undefined): Promise<AccessToken> {
    if (!authorization) throw new AccessTokenError('missing', 'an access token is required (Authorization: Bearer …)');
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(authorization)?.[1];
    if (!token) throw new AccessTokenError('malformed', 'the Authorization header must carry a JWT access token (Bearer)');
    let keySet: jose.JWTVerifyGetKey;
    try {
      keySet = local ?? (await keys!());
    } catch {
      throw new AccessTokenError('keys_unreachable', 'the identity provider cannot be reached to check the token; try again');
    }
    let claims: AccessToken['claims'];
    try {
      ({ payload: claims } = await jose.jwtVerify(token, keySet, { issuer: o.issuer, audience: o.audience, typ: 'at+jwt', algorithms: ['ES256', 'RS256', 'PS256', 'EdDSA'], clockTolerance: 30 }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw new AccessTokenError('expired', 'the access token has expired');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (err as { claim?: string }).claim === 'aud') throw new AccessTokenError('audience', `the access token is not for ${o.audience}`);
      // the key set could not be fetched (fetch's own TypeError, or jose's timeout)
      if (code === 'ERR_JWKS_TIMEOUT' || err instanceof TypeError) throw new AccessTokenError('keys_unreachable', 'the identity provider cannot be reached to check the token; try again');
      throw new AccessTokenError('invalid', `the access token is not valid for ${o.audience}`);
    }
    return { claims, clientId: typeof claims.client_id === 'string' ? claims.client_id : undefined, scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [] };
  };
}
