// The card-read document both services verify (src/kernel/card_read in the main project): a compact
// JWS, ES256, header {alg, typ: card-read+jwt, kid: agent id}, fresh for two minutes, bound to the
// challenge (nonce) the service gave the page the read is for.
import { randomBytes } from 'node:crypto';
import * as jose from 'jose';
import type { ThaiIdCard } from '../card/thai_id.ts';

export const CARD_READ_TYP = 'card-read+jwt';
export const CARD_READ_SECONDS = 120;
/** a challenge as the services issue it: base64url, 22–64 characters */
export const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

export type CardClaims = Record<string, unknown> & { pid: string; chip_photo: string };

const OPTIONAL = ['middle_name_th', 'title_en', 'given_name_en', 'middle_name_en', 'family_name_en'] as const;
const REQUIRED = ['pid', 'title_th', 'given_name_th', 'family_name_th', 'birthdate_be', 'gender', 'issuer', 'issue_date_be', 'expiry_date_be'] as const;

/** The chip's fields under the chip's names; optional ones that are empty are left out, the photo as base64. */
export function cardClaims(card: ThaiIdCard): CardClaims {
  const out: Record<string, unknown> = {};
  for (const k of REQUIRED) out[k] = card[k];
  for (const k of OPTIONAL) if (card[k]) out[k] = card[k];
  if (card.address) out.address = { ...card.address };
  out.chip_photo = card.photo ? card.photo.toString('base64') : '';
  return out as CardClaims;
}

export async function signCardRead(o: { privateKey: CryptoKey; agentId: string; hcode: string; nonce: string; card: ThaiIdCard; now?: number }): Promise<string> {
  const iat = Math.floor((o.now ?? Date.now()) / 1000);
  const payload = { iss: `agent:${o.agentId}`, iat, exp: iat + CARD_READ_SECONDS, jti: randomBytes(16).toString('base64url'), hcode: o.hcode, nonce: o.nonce, card: cardClaims(o.card) };
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: CARD_READ_TYP, kid: o.agentId })
    .sign(o.privateKey);
}
