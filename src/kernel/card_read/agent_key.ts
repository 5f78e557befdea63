// A card reader agent's public key as both services accept it: EC P-256 or OKP Ed25519, public members
// only (a private member is refused, never stored), reduced to what identifies the key (and its kid).
import * as jose from 'jose';

export class AgentKeyError extends Error {
  override name = 'AgentKeyError';
}

const b64url = (v: unknown, bytes: number) => typeof v === 'string' && /^[\w-]+$/.test(v) && Buffer.from(v, 'base64url').length === bytes;

export async function agentPublicJwk(input: unknown): Promise<jose.JWK> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AgentKeyError('jwk must be a JSON Web Key (an object)');
  const k = input as Record<string, unknown>;
  if (['d', 'p', 'q', 'k'].some((m) => k[m] !== undefined)) throw new AgentKeyError('jwk must be the public key only (no private members)');
  if (k.kid !== undefined && (typeof k.kid !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(k.kid))) throw new AgentKeyError('jwk kid must be 1–128 printable characters');
  const kid = k.kid === undefined ? {} : { kid: k.kid as string };
  let jwk: jose.JWK;
  if (k.kty === 'EC' && k.crv === 'P-256' && b64url(k.x, 32) && b64url(k.y, 32)) jwk = { kty: 'EC', crv: 'P-256', x: k.x as string, y: k.y as string, ...kid };
  else if (k.kty === 'OKP' && k.crv === 'Ed25519' && b64url(k.x, 32)) jwk = { kty: 'OKP', crv: 'Ed25519', x: k.x as string, ...kid };
  else throw new AgentKeyError('jwk must be a public EC P-256 or OKP Ed25519 key');
  try {
    await jose.importJWK(jwk, jwk.kty === 'OKP' ? 'EdDSA' : 'ES256');
  } catch {
    throw new AgentKeyError('jwk is not a usable key (its point is not on the curve)');
  }
  return jwk;
}

/** The key's RFC 7638 thumbprint (SHA-256, base64url): what an agent's access token names as agent_jkt. */
export const agentKeyThumbprint = (jwk: jose.JWK) => jose.calculateJwkThumbprint(jwk, 'sha256');
