// The card-read document: what a card reader agent at a service unit read from a national ID card's
// chip, signed by the agent's registered key as a compact JWS (ES256 or EdDSA), header
// {typ: "card-read+jwt", kid: <agent id>}, payload:
//   { iss: "agent:<id>", iat, exp (≤ 5 minutes later), jti, hcode, nonce,
//     card: { pid, title_th, given_name_th, middle_name_th?, family_name_th, title_en?, given_name_en?,
//             middle_name_en?, family_name_en?, birthdate_be: "YYYYMMDD", gender: "1" | "2", issuer,
//             issue_date_be, expiry_date_be,
//             address?: { house_no, moo, trok, soi, road, subdistrict, district, province },
//             chip_photo: <base64 JPEG> } }
// Field names follow the chip's (docs/smartcard.md §1); dates stay as the chip gives them (Buddhist era).
// `nonce` is a challenge the service issued to the page the read was made for (one unit, one member of
// staff, 10 minutes, one use). A document is accepted once, only at the unit of its agent, only while
// it is fresh, and only with a live challenge of the same unit and actor. Each service keeps its
// agents, used documents and challenges in its own tables, which it names here.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import * as jose from 'jose';
import type { Database, Queryable } from '../db/index.ts';
import { isValidPid } from '../thai/pid.ts';

export const CARD_READ_TYP = 'card-read+jwt';
const MAX_AGE_SECONDS = 300;
const be = z.string().regex(/^\d{8}$/, 'a YYYYMMDD date in the Buddhist era');

export const cardSchema = z.object({
  pid: z.string().refine(isValidPid, 'pid must be a valid 13-digit ID number'),
  title_th: z.string().max(40),
  given_name_th: z.string().min(1).max(100),
  middle_name_th: z.string().max(100).optional(),
  family_name_th: z.string().min(1).max(100),
  title_en: z.string().max(40).optional(),
  given_name_en: z.string().max(100).optional(),
  middle_name_en: z.string().max(100).optional(),
  family_name_en: z.string().max(100).optional(),
  birthdate_be: be,
  gender: z.enum(['1', '2']),
  issuer: z.string().max(200),
  issue_date_be: be,
  expiry_date_be: be,
  address: z.record(z.string(), z.string().max(200)).optional(),
  chip_photo: z.string().max(20_000, 'the chip photo is at most about 5 KB'),
});
export type CardData = z.output<typeof cardSchema>;

/** a challenge as it travels: base64url, 22–64 characters (ours are 32: 192 random bits) */
export const NONCE = /^[A-Za-z0-9_-]{22,64}$/;
const CHALLENGE_SECONDS = 600;
/** live challenges one actor may hold; beyond it the oldest are dropped (a reload loop fills nothing) */
export const MAX_LIVE_CHALLENGES = 50;

// the nonce is left out when absent so that its absence reads as a wrong challenge, not a malformed document
const payloadSchema = z.object({ iss: z.string(), iat: z.number(), exp: z.number(), jti: z.string().min(8).max(100), hcode: z.string().regex(/^\d{5}$/), nonce: z.string().regex(NONCE).optional(), card: cardSchema });

export type CardReadResult =
  | { ok: true; agentId: string; hcode: string; card: CardData }
  | { ok: false; reason: 'malformed' | 'unknown_agent' | 'bad_signature' | 'expired' | 'wrong_unit' | 'replayed' | 'invalid_card' | 'wrong_challenge' };

/** Where a service keeps its agents' keys, used documents and challenges: names from its code, never from input. */
export interface CardReadTables {
  agents: string;
  uses: string;
  /** an SQL condition an agent's row must also meet, beyond not revoked (e.g. a live lease) */
  activeAgent?: string;
  challenges: string;
}

/** a refusal found inside the transaction, which it rolls back */
class Refused extends Error {
  reason: 'replayed' | 'wrong_challenge';
  constructor(reason: 'replayed' | 'wrong_challenge') {
    super(reason);
    this.reason = reason;
  }
}

/** Only a digest is kept: the nonce itself is on the page and in the document. */
const nonceDigest = (nonce: string) => createHash('sha256').update(nonce).digest();

/**
 * A challenge for one card read at `hcode` by `actor` (the verifier's or staff member's sub), for the page
 * about to be shown: the agent signs it into the document, and verifyCardRead uses it up.
 */
export async function issueCardReadChallenge(db: Database, c: { hcode: string; actor: string; now?: number }, tables: CardReadTables): Promise<string> {
  const nonce = randomBytes(24).toString('base64url');
  const now = (c.now ?? Date.now()) / 1000;
  await db.query(`INSERT INTO ${tables.challenges} (nonce_hash, hcode, actor, expires_at) VALUES ($1, $2, $3, to_timestamp($4))`, [nonceDigest(nonce), c.hcode, c.actor, now + CHALLENGE_SECONDS]);
  await db.query(
    `DELETE FROM ${tables.challenges} WHERE actor = $1 AND id IN (SELECT id FROM ${tables.challenges} WHERE actor = $1 ORDER BY id DESC OFFSET $2)`,
    [c.actor, MAX_LIVE_CHALLENGES],
  );
  return nonce;
}

type AuditFn = (q: Queryable, e: { actor: string; action: string; detail: Record<string, unknown> }) => Promise<unknown>;

export async function registerAgent(db: Database, a: { hcode: string; jwk: jose.JWK; by: string }, where: { tables: CardReadTables; audit: AuditFn }): Promise<string> {
  if (a.jwk.d) throw new Error('register the public key only');
  await jose.importJWK(a.jwk, a.jwk.kty === 'OKP' ? 'EdDSA' : 'ES256'); // refuses what is not a usable key
  const id = `agent-${randomBytes(8).toString('hex')}`;
  await db.tx(async (q) => {
    await q.query(`INSERT INTO ${where.tables.agents} (id, hcode, public_jwk, registered_by) VALUES ($1, $2, $3, $4)`, [id, a.hcode, JSON.stringify(a.jwk), a.by]);
    await where.audit(q, { actor: a.by, action: 'agent.registered', detail: { agent: id, hcode: a.hcode } });
  });
  return id;
}

/**
 * Checks a card-read document as verifyCardRead does (signature, agent, freshness, unit) without using
 * it up: for a look before the decision (the face comparison shown beside the chip photo). The
 * challenge is not checked here; verifyCardRead checks it when the document is used.
 */
export async function inspectCardRead(db: Database, jws: string, opts: { hcode: string; now?: number; tables: CardReadTables }): Promise<CardReadResult & { nonce?: string; jti?: string; exp?: number }> {
  const { tables } = opts;
  let header: jose.ProtectedHeaderParameters;
  try {
    header = jose.decodeProtectedHeader(jws);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.typ !== CARD_READ_TYP || typeof header.kid !== 'string' || !['ES256', 'EdDSA'].includes(String(header.alg))) return { ok: false, reason: 'malformed' };
  const { rows } = await db.query<{ hcode: string; public_jwk: jose.JWK }>(`SELECT hcode, public_jwk FROM ${tables.agents} WHERE id = $1 AND revoked_at IS NULL${tables.activeAgent ? ` AND (${tables.activeAgent})` : ''}`, [header.kid]);
  const agent = rows[0];
  if (!agent) return { ok: false, reason: 'unknown_agent' };
  let bytes: Uint8Array;
  try {
    const key = await jose.importJWK(agent.public_jwk, String(header.alg));
    bytes = (await jose.compactVerify(jws, key, { algorithms: ['ES256', 'EdDSA'] })).payload;
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.some((i) => i.path[0] === 'card') ? 'invalid_card' : 'malformed' };
  const p = parsed.data;
  const nowMs = opts.now ?? Date.now();
  const now = Math.floor(nowMs / 1000);
  if (p.iss !== `agent:${header.kid}`) return { ok: false, reason: 'malformed' };
  if (p.exp < now || p.iat > now + 60 || p.exp - p.iat > MAX_AGE_SECONDS) return { ok: false, reason: 'expired' };
  if (p.hcode !== agent.hcode || p.hcode !== opts.hcode) return { ok: false, reason: 'wrong_unit' };
  if (!p.nonce) return { ok: false, reason: 'wrong_challenge' };
  return { ok: true, agentId: header.kid, hcode: p.hcode, card: p.card, nonce: p.nonce, jti: p.jti, exp: p.exp };
}

/** Verifies a card-read document presented at `hcode` by `actor`; a valid one is used up, with its challenge. */
export async function verifyCardRead(db: Database, jws: string, opts: { hcode: string; actor: string; now?: number; tables: CardReadTables }): Promise<CardReadResult> {
  const { tables } = opts;
  const nowMs = opts.now ?? Date.now();
  const seen = await inspectCardRead(db, jws, { hcode: opts.hcode, now: nowMs, tables });
  if (!seen.ok) return { ok: false, reason: seen.reason };
  const { agentId, nonce, jti, exp } = seen as { agentId: string; nonce: string; jti: string; exp: number };
  // the document and its challenge are used up together, or neither is: a document shown in another
  // actor's session does not burn it for the verifier it was read for
  try {
    await db.tx(async (q) => {
      const used = await q.query(`INSERT INTO ${tables.uses} (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT (jti) DO NOTHING`, [`${agentId}:${jti}`, exp]);
      if (used.rowCount !== 1) throw new Refused('replayed');
      const challenge = await q.query(
        `DELETE FROM ${tables.challenges} WHERE nonce_hash = $1 AND hcode = $2 AND actor = $3 AND expires_at > to_timestamp($4) RETURNING id`,
        [nonceDigest(nonce), opts.hcode, opts.actor, nowMs / 1000],
      );
      if (challenge.rowCount !== 1) throw new Refused('wrong_challenge');
    });
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.reason };
    throw err;
  }
  return { ok: true, agentId, hcode: seen.hcode, card: seen.card };
}
