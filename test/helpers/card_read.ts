// Card-read documents as a unit's card reader agent signs them (src/kernel/card_read), for tests: one
// signing function, a sample card, the card of an account's person, and a page's challenge.
import { randomUUID } from 'node:crypto';
import * as jose from 'jose';
import { CARD_READ_TYP, type CardData } from '../../src/kernel/card_read/index.ts';
import { toBuddhistDate } from '../../src/kernel/thai/dates.ts';

/** a card with a valid ID number and a tiny JPEG as its chip photo */
export const SAMPLE_CARD: CardData = {
  pid: '1234567890121',
  title_th: 'นาง',
  given_name_th: 'สมหญิง',
  family_name_th: 'รักษ์สุขภาพ',
  birthdate_be: '25280314',
  gender: '2',
  issuer: 'อำเภอเมืองสระแก้ว/สระแก้ว',
  issue_date_be: '25650101',
  expiry_date_be: '25730313',
  chip_photo: Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64'),
};

/** The card of a person as an account or register holds them (ISO birth date). */
export function cardOf(who: { pid: string; given_name: string; family_name: string; birthdate: string }, over: Partial<CardData> = {}): CardData {
  return { ...SAMPLE_CARD, pid: who.pid, given_name_th: who.given_name, family_name_th: who.family_name, birthdate_be: toBuddhistDate(who.birthdate), ...over };
}

/**
 * A card-read document signed by `key` as agent `agentId` of unit `hcode` over the challenge `nonce`
 * (undefined: a document without one, as an agent before challenges made). The rest defaults to a
 * fresh, well-formed document; any part can be overridden to make a bad one.
 */
export function signCardRead(o: {
  key: CryptoKey;
  agentId: string;
  hcode: string;
  nonce: string | undefined;
  card: CardData;
  iat?: number;
  exp?: number;
  jti?: string;
  iss?: string;
  typ?: string;
  kid?: string;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = o.iat ?? now;
  const payload = { iss: o.iss ?? `agent:${o.agentId}`, iat, exp: o.exp ?? iat + 120, jti: o.jti ?? `read-${randomUUID()}`, hcode: o.hcode, ...(o.nonce === undefined ? {} : { nonce: o.nonce }), card: o.card };
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: o.typ ?? CARD_READ_TYP, kid: o.kid ?? o.agentId })
    .sign(o.key);
}

/** The challenge a page issued for its card read (the Read card widget's data-nonce). */
export function pageNonce(body: string): string {
  const m = /data-nonce="([A-Za-z0-9_-]+)"/.exec(body);
  if (!m) throw new Error('the page has no card-read challenge (data-nonce)');
  return m[1]!;
}
