// This service as a relying party of Mor Prom ID (openid-client): authorization code + PKCE, a
// confidential client authenticating with private_key_jwt, discovery and keys fetched from the IdP
// over HTTP. The IdP's metadata is fetched on first use, so the service can start before the IdP.
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { fetchWithRequestId } from '../kernel/http/request_id.ts';

export interface LoginRequest {
  url: string;
  /** kept in the browser session until the callback */
  pending: { state: string; nonce: string; verifier: string };
}

export interface LoginResult {
  sub: string;
  claims: Record<string, unknown>;
  idToken: string;
}

/** The IdP ended the login without a result: the person cancelled, or a requirement could not be met. */
export class LoginRefused extends Error {
  override name = 'LoginRefused';
  error: string;
  constructor(error: string, description: string | undefined) {
    super(description ?? error);
    this.error = error;
  }
}

export interface RelyingParty {
  jwksUri(): Promise<string>;
  startLogin(params: Record<string, string>): Promise<LoginRequest>;
  finishLogin(callbackUrl: URL, pending: LoginRequest['pending']): Promise<LoginResult>;
  logoutUrl(idToken: string | undefined, postLogout: string): Promise<string>;
}

export function createRelyingParty(o: { issuer: string; clientId: string; privateJwk: jose.JWK; redirectUri: string; insecure: boolean }): RelyingParty {
  let config: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (config ??= (async () => {
      const key = (await jose.importJWK(o.privateJwk, 'ES256')) as CryptoKey;
      // every call to the IdP carries the id of the request that made it (src/kernel/http/request_id.ts)
      const options = { [oidc.customFetch]: fetchWithRequestId() as oidc.CustomFetch, ...(o.insecure ? { execute: [oidc.allowInsecureRequests] } : {}) };
      const c = await oidc.discovery(new URL(o.issuer), o.clientId, { id_token_signed_response_alg: 'ES256' }, oidc.PrivateKeyJwt({ key, kid: o.privateJwk.kid }), options);
      c[oidc.customFetch] = options[oidc.customFetch];
      return c;
    })().catch((err) => {
      config = undefined; // try again on the next request
      throw err;
    }));

  return {
    async jwksUri() {
      return (await configuration()).serverMetadata().jwks_uri!;
    },
    async startLogin(params) {
      const c = await configuration();
      const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(c, {
        redirect_uri: o.redirectUri,
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        ...params,
      });
      return { url: url.href, pending };
    },
    async finishLogin(callbackUrl, pending) {
      const error = callbackUrl.searchParams.get('error');
      if (error) throw new LoginRefused(error, callbackUrl.searchParams.get('error_description') ?? undefined);
      const c = await configuration();
      const tokens = await oidc.authorizationCodeGrant(c, callbackUrl, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      const idClaims = tokens.claims()!;
      const userinfo = await oidc.fetchUserInfo(c, tokens.access_token, idClaims.sub);
      return { sub: idClaims.sub, claims: { ...userinfo, acr: idClaims.acr, amr: idClaims.amr, auth_time: idClaims.auth_time }, idToken: tokens.id_token! };
    },
    async logoutUrl(idToken, postLogout) {
      const c = await configuration();
      return oidc.buildEndSessionUrl(c, { ...(idToken ? { id_token_hint: idToken } : {}), post_logout_redirect_uri: postLogout }).href;
    },
  };
}
