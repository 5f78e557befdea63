// The relying-party side of an upstream login, with openid-client only (no hand-written protocol):
// discovery, PKCE (S256), state and nonce, the code exchanged with the configured client
// authentication, and the ID token validated in full — issuer, audience, expiry, nonce, and its
// signature against the upstream's JWKS (enableNonRepudiationChecks). The access token is used once for
// userinfo when configured and then dropped; no token is kept.
import * as oidc from 'openid-client';
import { importJWK, type JWK } from 'jose';
import type { UpstreamProvider } from './provider.ts';

/** The upstream could not be reached or answered with a server error: nothing is recorded, try later. */
export class UpstreamUnavailable extends Error {
  override name = 'UpstreamUnavailable';
}

/** The upstream's answer was refused (an invalid ID token, a wrong state, a used code) or the person declined. */
export class UpstreamRefused extends Error {
  override name = 'UpstreamRefused';
  readonly reason: 'denied' | 'invalid';
  constructor(reason: 'denied' | 'invalid', message: string) {
    super(message);
    this.reason = reason;
  }
}

/** What the callback needs to finish a login: kept by us (encrypted), never in the browser. */
export interface LoginChecks {
  state: string;
  nonce: string;
  verifier: string;
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);

/** Whether an error from openid-client means the upstream is down rather than that its answer is wrong. */
function isOutage(err: unknown): boolean {
  type Link = { name?: string; code?: string; status?: number; message?: string; cause?: unknown };
  let e: unknown = err;
  for (let depth = 0; e && depth < 6; depth++) {
    if (e instanceof Response) return e.status >= 500 || e.status === 429;
    const l = e as Link;
    if (l.name === 'AbortError' || l.name === 'TimeoutError') return true;
    if (l.name === 'TypeError' && /fetch failed/i.test(l.message ?? '')) return true;
    if (l.code && NETWORK.has(l.code)) return true;
    if (typeof l.status === 'number' && l.status >= 500) return true;
    e = l.cause;
  }
  return false;
}

async function clientAuth(p: UpstreamProvider): Promise<oidc.ClientAuth> {
  if (p.clientAuth.method === 'client_secret_basic') return oidc.ClientSecretBasic(p.clientAuth.secret);
  const jwk: JWK = p.clientAuth.jwk;
  const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : jwk.kty === 'OKP' ? 'EdDSA' : 'RS256');
  const key = (await importJWK(jwk, alg)) as CryptoKey;
  return oidc.PrivateKeyJwt({ key, kid: jwk.kid });
}

export function upstreamClient(p: UpstreamProvider, opts: { timeoutSeconds?: number } = {}) {
  let configuration: Promise<oidc.Configuration> | undefined;

  async function discover(): Promise<oidc.Configuration> {
    const execute = [oidc.enableNonRepudiationChecks, ...(p.allowHttp ? [oidc.allowInsecureRequests] : [])];
    const config = await oidc.discovery(new URL(p.issuer), p.clientId, undefined, await clientAuth(p), { execute, timeout: opts.timeoutSeconds ?? 5 });
    config.timeout = opts.timeoutSeconds ?? 5;
    return config;
  }

  /** Discovery once, again after a failure (an upstream that was down is asked again next time). */
  async function config(): Promise<oidc.Configuration> {
    configuration ??= discover();
    try {
      return await configuration;
    } catch (err) {
      configuration = undefined;
      if (isOutage(err)) throw new UpstreamUnavailable(`${p.id}: discovery failed (${(err as Error).name})`);
      throw new UpstreamUnavailable(`${p.id}: its discovery document cannot be used (${(err as Error).message})`);
    }
  }

  return {
    provider: p,

    /** Where to send the browser, and the checks its answer must pass. */
    async start(redirectUri: string): Promise<{ url: URL; checks: LoginChecks }> {
      const c = await config();
      const checks: LoginChecks = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: redirectUri,
        scope: p.scopes.join(' '),
        response_type: 'code',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.verifier),
        code_challenge_method: 'S256',
        ...(p.prompt ? { prompt: p.prompt } : {}),
      });
      return { url, checks };
    },

    /** The claims of the validated ID token (and of userinfo, same subject); throws Upstream{Unavailable,Refused}. */
    async finish(redirectUri: string, query: string, checks: LoginChecks): Promise<Record<string, unknown>> {
      const c = await config();
      const current = new URL(redirectUri);
      current.search = query;
      try {
        const tokens = await oidc.authorizationCodeGrant(c, current, { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true });
        const idClaims = tokens.claims();
        if (!idClaims) throw new UpstreamRefused('invalid', 'no ID token');
        let claims: Record<string, unknown> = { ...idClaims };
        if (p.userinfo && tokens.access_token) {
          const info = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub);
          // the ID token's own claims win over userinfo's where both are present
          claims = { ...info, ...idClaims };
        }
        return claims;
      } catch (err) {
        if (err instanceof UpstreamRefused) throw err;
        if (err instanceof oidc.AuthorizationResponseError) {
          throw new UpstreamRefused(err.error === 'access_denied' ? 'denied' : 'invalid', `${p.id} answered ${err.error}`);
        }
        if (isOutage(err)) throw new UpstreamUnavailable(`${p.id}: token or userinfo request failed (${(err as Error).name})`);
        throw new UpstreamRefused('invalid', `${p.id}: ${(err as { code?: string }).code ?? (err as Error).name}: ${(err as Error).message}`);
      }
    },
  };
}

export type UpstreamClient = ReturnType<typeof upstreamClient>;
