// The card-read document: what a card reader agent at a service unit read from a national ID card's
// chip, signed by the agent's registered key as a compact JWS (ES256 or EdDSA), header
// {typ: "card-read+jwt", kid: <agent id>}, payload:
//   { iss: "agent:<id>", iat, exp (≤ 5 minutes later), jti, hcode,
//     card: { pid, title_th, given_name_th, middle_name_th?, family_name_th, title_en?, given_name_en?,
//             family_name_en?, birthdate_be: "YYYYMMDD", gender: "1" | "2", issuer, issue_date_be,
//             expiry_date_be, address?: { house_no, moo, trok, soi, road, subdistrict, district, province },
//             chip_photo: <base64 JPEG> } }
// Field names follow the chip's (docs/smartcard.md §1); dates stay as the chip gives them (Buddhist era).
// A document is accepted once, only at the unit of its agent, and only while it is fresh. Each service
// keeps its agents and used documents in its own tables, which it names here.
import { randomBytes } from 'node:crypto';
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

const payloadSchema = z.object({ iss: z.string(), iat: z.number(), exp: z.number(), jti: z.string().min(8).max(100), hcode: z.string().regex(/^\d{5}$/), card: cardSchema });

export type CardReadResult =
  | { ok: true; agentId: string; hcode: string; card: CardData }
  | { ok: false; reason: 'malformed' | 'unknown_agent' | 'bad_signature' | 'expired' | 'wrong_unit' | 'replayed' | 'invalid_card' };

/** Where a service keeps its agents' keys and used documents: names from its code, never from input. */
export interface CardReadTables {
  agents: string;
  uses: string;
  /** an SQL condition an agent's row must also meet, beyond not revoked (e.g. a live lease) */
  activeAgent?: string;
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

/** Verifies a card-read document presented at `hcode`; a valid one is used up. */
export async function verifyCardRead(db: Database, jws: string, opts: { hcode: string; now?: number; tables: CardReadTables }): Promise<CardReadResult> {
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
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (p.iss !== `agent:${header.kid}`) return { ok: false, reason: 'malformed' };
  if (p.exp < now || p.iat > now + 60 || p.exp - p.iat > MAX_AGE_SECONDS) return { ok: false, reason: 'expired' };
  if (p.hcode !== agent.hcode || p.hcode !== opts.hcode) return { ok: false, reason: 'wrong_unit' };
  const used = await db.query(`INSERT INTO ${tables.uses} (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT (jti) DO NOTHING`, [`${header.kid}:${p.jti}`, p.exp]);
  if (used.rowCount !== 1) return { ok: false, reason: 'replayed' };
  return { ok: true, agentId: header.kid, hcode: p.hcode, card: p.card };
}
