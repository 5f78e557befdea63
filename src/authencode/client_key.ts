// This service's own key for private_key_jwt client authentication at the IdP. The test zone creates
// one on first start; production reads the file named by AUTHENCODE_CLIENT_KEY_FILE.
import * as jose from 'jose';
import { existsSync } from 'node:fs';
import { ensureEcKeyFile } from './key_file.ts';

export async function ensureClientKey(file: string, create: boolean): Promise<jose.JWK> {
  if (!create && !existsSync(file)) throw new Error(`the client key file ${file} does not exist`);
  return ensureEcKeyFile(file, (pub) => jose.calculateJwkThumbprint(pub));
}

export function publicJwk(jwk: jose.JWK): jose.JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

/** What the IdP registers for this service: a confidential client (private_key_jwt) and its API as a resource server. */
export function clientMetadata(o: { clientId: string; url: string; jwk: jose.JWK }) {
  return {
    client_id: o.clientId,
    client_name: 'Authen Code',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    id_token_signed_response_alg: 'ES256',
    jwks: { keys: [publicJwk(o.jwk)] },
    redirect_uris: [`${o.url}/auth/callback`],
    post_logout_redirect_uris: [`${o.url}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // pid: the citizen's own ID number names their visits; health_personnel: staff are checked against the unit
    scope: 'openid profile phone pid health_personnel verified_claims',
  };
}
