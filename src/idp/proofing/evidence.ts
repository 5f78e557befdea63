// Proofing evidence: each completed method records what it checked (for the policy table), the
// documents seen (number masked), where, by whom, and the decision. Revocation is an administrator's
// act with a reason; evidence is superseded when the person changes data it vouched for. Either way
// the IAL drops at once because it is always computed from unrevoked evidence.
// The only code that queries the `evidence` table.
import type { Queryable } from '../../kernel/db/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import type { Check } from './policy.ts';
import { count } from '../metrics.ts';
import type { FaceComparison } from '../../kernel/face_match/index.ts';
import { noteCoverageChange } from '../coverage/changes.ts';

export interface EvidenceDocument {
  type: 'idcard';
  issuer: string;
  number: string;
  expiry?: string;
}

/** The automated face comparison a verifier confirmed (see src/kernel/face_match/), and what the live face was compared with. */
export type FaceCheckEvidence = Omit<FaceComparison, 'quality'> & { against: 'card_portrait_photo' | 'chip_photo' };

/**
 * What an upstream identity provider asserted (methods/digital_id/): its issuer, its subject and the
 * card's code encrypted, the level it asserted, the mapping applied and the level granted.
 */
export interface UpstreamEvidence {
  provider: string;
  issuer: string;
  subject_cipher: string;
  /** the level the upstream asserted, as it wrote it */
  ial: string;
  /** the level our policy granted for it (its mapping, capped by our table) */
  granted: string;
  mapping: { levels: Record<string, string>; claims: Record<string, string> };
  smartcard_code_cipher?: string;
  smartcard_code_masked?: string;
  date_of_issuance?: string;
  date_of_expiry?: string;
  auth_time?: string;
  verified_at: string;
}

export interface NewEvidence {
  sub: string;
  method: string;
  checks: Check[];
  documents: EvidenceDocument[];
  unitHcode?: string;
  verifierSub?: string;
  decision: 'approved' | 'rejected';
  reason?: string;
  faceCheck?: FaceCheckEvidence;
  upstream?: UpstreamEvidence;
}

export interface EvidenceRecord extends NewEvidence {
  id: number;
  createdAt: Date;
}

export async function recordEvidence(q: Queryable, e: NewEvidence): Promise<number> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO evidence (sub, method, checks, documents, unit_hcode, verifier_sub, decision, reason, face_check, upstream)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [e.sub, e.method, e.checks, JSON.stringify(e.documents), e.unitHcode ?? null, e.verifierSub ?? null, e.decision, e.reason ?? '', e.faceCheck ? JSON.stringify(e.faceCheck) : null, e.upstream ? JSON.stringify(e.upstream) : null],
  );
  await audit(q, { actor: e.verifierSub ?? e.sub, action: `evidence.${e.decision}`, subject: e.sub, detail: { method: e.method, checks: e.checks, unit: e.unitHcode ?? null } });
  count.proofingDecision(e.method, e.decision);
  if (e.decision === 'approved') await noteCoverageChange(q, e.sub);
  return Number(rows[0]!.id);
}

export async function approvedEvidence(q: Queryable, sub: string): Promise<EvidenceRecord[]> {
  const { rows } = await q.query<{ id: string; method: string; checks: string[]; documents: EvidenceDocument[]; unit_hcode: string | null; verifier_sub: string | null; reason: string; face_check: FaceCheckEvidence | null; upstream: UpstreamEvidence | null; created_at: Date }>(
    `SELECT id, method, checks, documents, unit_hcode, verifier_sub, reason, face_check, upstream, created_at FROM evidence
     WHERE sub = $1 AND decision = 'approved' AND revoked_at IS NULL ORDER BY created_at`,
    [sub],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    sub,
    method: r.method,
    checks: r.checks as Check[],
    documents: r.documents,
    unitHcode: r.unit_hcode ?? undefined,
    verifierSub: r.verifier_sub ?? undefined,
    decision: 'approved',
    reason: r.reason,
    ...(r.face_check ? { faceCheck: r.face_check } : {}),
    ...(r.upstream ? { upstream: r.upstream } : {}),
    createdAt: r.created_at,
  }));
}

/** One piece of evidence as its person's data export gives it. */
export interface ExportedEvidence {
  verified_at: string;
  method: string;
  checks: string[];
  decision: 'approved' | 'rejected';
  reason: string;
  documents: EvidenceDocument[];
  unit_hcode: string | null;
  face_check: FaceCheckEvidence | null;
  upstream: Omit<UpstreamEvidence, 'subject_cipher' | 'smartcard_code_cipher'> | null;
  revoked: { at: string; reason: string | null } | null;
}

/**
 * All of a person's evidence, revoked and rejected included, oldest first: what was checked, how,
 * where and when, the decision and any revocation. Not the verifier's or revoker's account (another
 * person's identifier), nor the encrypted identifiers an upstream gave (ciphertext tells them nothing;
 * the masked card code stays).
 */
export async function evidenceForExport(q: Queryable, sub: string): Promise<ExportedEvidence[]> {
  const { rows } = await q.query<{ method: string; checks: string[]; documents: EvidenceDocument[]; unit_hcode: string | null; decision: 'approved' | 'rejected'; reason: string; face_check: FaceCheckEvidence | null; upstream: UpstreamEvidence | null; created_at: Date; revoked_at: Date | null; revoke_reason: string | null }>(
    `SELECT method, checks, documents, unit_hcode, decision, reason, face_check, upstream, created_at, revoked_at, revoke_reason
     FROM evidence WHERE sub = $1 ORDER BY created_at, id`,
    [sub],
  );
  return rows.map((r) => ({
    verified_at: r.created_at.toISOString(),
    method: r.method,
    checks: r.checks,
    decision: r.decision,
    reason: r.reason,
    documents: r.documents,
    unit_hcode: r.unit_hcode,
    face_check: r.face_check,
    upstream: r.upstream && withoutCiphertext(r.upstream),
    revoked: r.revoked_at ? { at: r.revoked_at.toISOString(), reason: r.revoke_reason } : null,
  }));
}

function withoutCiphertext(u: UpstreamEvidence): ExportedEvidence['upstream'] {
  const { subject_cipher: _subject, smartcard_code_cipher: _code, ...rest } = u;
  return rest;
}

/** Every check of the person's approved, unrevoked evidence, once each (what the policy table reads). */
export async function approvedChecks(q: Queryable, sub: string): Promise<string[]> {
  const { rows } = await q.query<{ checks: string[] | null }>(
    `SELECT array_agg(DISTINCT c) AS checks FROM evidence e, unnest(e.checks) c
     WHERE e.sub = $1 AND e.revoked_at IS NULL AND e.decision = 'approved'`,
    [sub],
  );
  return rows[0]?.checks ?? [];
}

/** Whose evidence this is, while it is not revoked. */
export async function evidenceOwner(q: Queryable, id: number): Promise<string | undefined> {
  const { rows } = await q.query<{ sub: string }>('SELECT sub FROM evidence WHERE id = $1 AND revoked_at IS NULL', [id]);
  return rows[0]?.sub;
}

/** A verifier's own decisions, the latest first. */
export async function decisionsBy(q: Queryable, verifierSub: string, limit = 50): Promise<Array<{ createdAt: Date; method: string; checks: string[] }>> {
  const { rows } = await q.query<{ created_at: Date; method: string; checks: string[] }>(
    'SELECT created_at, method, checks FROM evidence WHERE verifier_sub = $1 ORDER BY created_at DESC LIMIT $2',
    [verifierSub, limit],
  );
  return rows.map((r) => ({ createdAt: r.created_at, method: r.method, checks: r.checks }));
}

export async function revokeEvidence(q: Queryable, id: number, by: string, reason: string): Promise<string | undefined> {
  const { rows } = await q.query<{ sub: string }>(
    'UPDATE evidence SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING sub',
    [id, by, reason],
  );
  const sub = rows[0]?.sub;
  if (sub) {
    await audit(q, { actor: by, action: 'evidence.revoked', subject: sub, detail: { evidence: id, reason } });
    await noteCoverageChange(q, sub);
  }
  return sub;
}

/**
 * The person changed identity attributes this evidence vouched for: it stops counting, as a revocation
 * does (revoked_by is the person, the reason names the attributes), audited as evidence.superseded.
 */
export async function supersedeEvidence(q: Queryable, id: number, by: string, attributes: readonly string[]): Promise<string | undefined> {
  const { rows } = await q.query<{ sub: string; method: string }>(
    'UPDATE evidence SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING sub, method',
    [id, by, `superseded: ${attributes.join(', ')} changed by the person`],
  );
  const r = rows[0];
  if (r) {
    await audit(q, { actor: by, action: 'evidence.superseded', subject: r.sub, detail: { evidence: id, method: r.method, attributes } });
    await noteCoverageChange(q, r.sub);
  }
  return r?.sub;
}
