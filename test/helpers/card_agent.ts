// A card reader agent as the services meet it: a P-256 key of its own, paired at the IdP with a code
// (POST /api/card-agents/pair), client-credentials tokens by private_key_jwt signed with that key
// (openid-client), and card-read documents signed with it.
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { SAMPLE_CARD, signCardRead } from './card_read.ts';

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

/** A fresh card-read document of a card at `hcode` over a page's challenge, signed by the agent. */
export function cardReadDocument(agentId: string, key: AgentKey, hcode: string, nonce: string, pid = SAMPLE_CARD.pid): Promise<string> {
  return signCardRead({ key: key.privateKey, agentId, hcode, nonce, card: { ...SAMPLE_CARD, pid } });
}
