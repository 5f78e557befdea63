// Who calls the API, from the IdP's JWT access token (RFC 9068) for this resource server: a member of
// staff (a person's token with the units where they are health personnel, `hcodes`) or a hospital
// information system (a client-credentials token of a client registered for one unit, `hcode`); a card
// reader agent is such a client, whose token also names its key (`agent_jkt`, an RFC 7638 thumbprint).
// Signature, issuer, audience, type and expiry are checked against the IdP's published keys
// (src/kernel/http/access_token.ts); this says the failures in the API's own error codes.
import * as jose from 'jose';
import type { Context } from 'koa';
import { ApiError } from './errors.ts';
import { AccessTokenError, accessTokenVerifier, type AccessToken, type AccessTokenFailure } from '../../kernel/http/access_token.ts';

export type Caller =
  | { kind: 'staff'; sub: string; clientId: string; hcodes: string[] }
  | { kind: 'his'; clientId: string; hcode: string; agentJkt?: string };

export interface CallerVerifier {
  (ctx: Context): Promise<Caller>;
}

export function callerVerifier(opts: { issuer: string; audience: string; jwksUri: () => Promise<string> }): CallerVerifier {
  let jwks: ReturnType<typeof jose.createRemoteJWKSet> | undefined;
  const verify = accessTokenVerifier({
    issuer: opts.issuer,
    audience: opts.audience,
    keys: async () => (jwks ??= jose.createRemoteJWKSet(new URL(await opts.jwksUri()), { cooldownDuration: 30_000, cacheMaxAge: 600_000 })),
  });
  return async function verifyCaller(ctx) {
    let claims: AccessToken['claims'];
    let clientId: string;
    try {
      const token = await verify(ctx.get('authorization') || undefined);
      claims = token.claims;
      clientId = token.clientId ?? '';
    } catch (err) {
      if (!(err instanceof AccessTokenError)) throw err;
      throw REFUSALS[err.reason](opts.audience);
    }
    if (typeof claims.hcode === 'string' && /^\d{5}$/.test(claims.hcode)) {
      const agentJkt = typeof claims.agent_jkt === 'string' && /^[\w-]{43}$/.test(claims.agent_jkt) ? claims.agent_jkt : undefined;
      return { kind: 'his', clientId, hcode: claims.hcode, ...(agentJkt ? { agentJkt } : {}) };
    }
    if (Array.isArray(claims.hcodes) && claims.hcodes.length && typeof claims.sub === 'string') {
      return { kind: 'staff', sub: claims.sub, clientId, hcodes: claims.hcodes.filter((h): h is string => typeof h === 'string') };
    }
    throw new ApiError(403, 'not_unit_token', 'the token belongs to neither health personnel of a unit nor a hospital system registered for a unit');
  };
}

/** This API's words for each way a token fails (kernel/http/access_token.ts). */
const REFUSALS: Record<AccessTokenFailure, (audience: string) => ApiError> = {
  missing: () => new ApiError(401, 'missing_token', 'an access token from Mor Prom ID is required (Authorization: Bearer …)'),
  malformed: () => new ApiError(401, 'invalid_token', 'the Authorization header must carry a JWT access token (Bearer)'),
  keys_unreachable: () => new ApiError(503, 'idp_unreachable', 'the identity provider cannot be reached to check the token; try again'),
  expired: () => new ApiError(401, 'token_expired', 'the access token has expired'),
  audience: (audience) => new ApiError(401, 'wrong_audience', `the access token is not for this service (audience must be ${audience})`),
  invalid: () => new ApiError(401, 'invalid_token', 'the access token is not valid'),
};

/** The unit a call acts for: the one asked for, if the caller belongs to it; else the caller's only unit. */
export function unitOf(caller: Caller, asked: string | undefined): string {
  const allowed = caller.kind === 'his' ? [caller.hcode] : caller.hcodes;
  if (asked !== undefined) {
    if (!allowed.includes(asked)) throw new ApiError(403, 'wrong_unit', `this token may not act for unit ${asked}`);
    return asked;
  }
  if (allowed.length === 1) return allowed[0]!;
  throw new ApiError(400, 'hcode_required', 'hcode is required: the token may act for several units');
}

export const actorOf = (caller: Caller) => (caller.kind === 'his' ? `client:${caller.clientId}` : `sub:${caller.sub}`);
