// A card reader agent as the services meet it: a P-256 key of its own, paired at the IdP with a code
// (POST /api/card-agents/pair), client-credentials tokens by private_key_jwt signed with that key
// (openid-client), and card-read documents signed with it.
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { CARD_READ_TYP } from '../../src/kernel/card_read/index.ts';

export interface AgentKey {
  privateKey: CryptoKey;
  publicJwk: jose.JWK;
}

export async function agentKey(alg: 'ES256' | 'EdDSA' = 'ES256'): Promise<AgentKey> {
  const pair = await jose.generateKeyPair(alg, { extractable: true });
  return { privateKey: pair.privateKey as CryptoKey, publicJwk: await jose.exportJWK(pair.publicKey) };
}

/** POST /api/card-agents/pair as the agent sends it; `from` is the client address (the IdP trusts X-Forwarded-For). */
export async function pair(idp: string, body: unknown, from = '198.51.100.1', headers: Record<string, string> = {}) {
  const res = await fetch(`${idp}/api/card-agents/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { res, body: (await res.json()) as Record<string, string> };
}

/** A client-credentials token for `resource`, the client authenticated with a JWT signed by the agent's key. */
export async function agentToken(idp: string, agentId: string, key: AgentKey, resource: string, scope = 'authencode'): Promise<string> {
  const config = await oidc.discovery(new URL(idp), agentId, undefined, oidc.PrivateKeyJwt(key.privateKey), { execute: [oidc.allowInsecureRequests] });
  return (await oidc.clientCredentialsGrant(config, { resource, scope })).access_token;
}

/** A fresh card-read document of a card at `hcode`, signed by the agent. */
export async function cardReadDocument(agentId: string, key: AgentKey, hcode: string, pid = '1234567890121'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const card = { pid, title_th: 'นาง', given_name_th: 'สมหญิง', family_name_th: 'รักษ์สุขภาพ', birthdate_be: '25280314', gender: '2', issuer: 'อำเภอเมืองสระแก้ว', issue_date_be: '25650101', expiry_date_be: '25730313', chip_photo: 'AAAA' };
  const alg = key.publicJwk.kty === 'OKP' ? 'EdDSA' : 'ES256';
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify({ iss: `agent:${agentId}`, iat: now, exp: now + 120, jti: `r${Math.random()}`, hcode, card })))
    .setProtectedHeader({ alg, typ: CARD_READ_TYP, kid: agentId })
    .sign(key.privateKey);
}
