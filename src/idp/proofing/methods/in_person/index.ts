// In-person verification at a Digital ID service point: a verifier reads the person's card with the
// unit's card reader agent (a signed card-read document), confirms the card status and compares the
// live face with the chip photo. The IAL follows from what was confirmed (chip read + status → 1.3;
// + face → 2.3). Nobody verifies themselves; the card must be the account's own. A face captured with
// the counter PC's camera is compared with the chip photo by the face matcher (face_match/): the score
// is shown beside both pictures before the decision, and the verifier can confirm the face only at or
// above the threshold; the comparison is recorded with the evidence. Without a camera (or a matcher)
// the verifier compares by eye, and the evidence says no automated comparison was made.
import type { Database } from '../../../../kernel/db/index.ts';
import type { Accounts } from '../../../account/index.ts';
import { maskPid } from '../../../../kernel/pii/index.ts';
import { inspectCardReadAt, verifyCardReadAt } from '../../card_agents.ts';
import { FaceMatcherBusy, FaceMatcherUnavailable, FaceQualityError, type FaceComparison, type FaceMatcher, type QualityReason } from '../../../../kernel/face_match/index.ts';
import { fromBuddhistDate } from '../../../../kernel/thai/dates.ts';
import { recordEvidence, type FaceCheckEvidence } from '../../evidence.ts';
import type { Check } from '../../policy.ts';

export const METHOD = 'in_person';
/** the test zone's card data typed by the verifier (verifyByHand) */
export const TYPED = 'in_person_typed';

export type InPersonResult =
  | { ok: true; checks: Check[]; faceCheck?: FaceCheckEvidence }
  | { ok: false; reason: 'self' | 'card_refused' | 'not_this_person' | 'card_expired' | 'no_account' | FaceRefusal; quality?: QualityReason };

type FaceRefusal = 'bad_capture' | 'face_quality' | 'face_busy' | 'face_below_threshold';

/** The largest camera capture accepted (a 640 px JPEG is 30–80 KB). */
export const MAX_CAPTURE_BYTES = 300_000;

/** The still a counter camera took, as the form carries it (a data: URL or base64 of a JPEG); undefined when none or not a JPEG. */
export function capturedJpeg(posted: string): Buffer | undefined {
  const b64 = posted.trim().replace(/^data:image\/jpeg;base64,/, '');
  if (!b64 || b64.length > (MAX_CAPTURE_BYTES * 4) / 3 + 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff ? bytes : undefined;
}

export type CounterComparison =
  | { ok: true; comparison: FaceComparison | null; chipPhoto: string }
  | { ok: false; reason: 'card_refused' | 'not_this_person' | 'no_account' | FaceRefusal; quality?: QualityReason };

/**
 * The camera capture against the chip photo of a card-read document (checked, not used up: the
 * verifier decides after seeing the score). comparison null: no matcher, or it cannot answer now.
 */
export async function compareAtCounter(
  deps: { db: Database; accounts: Accounts; matcher?: FaceMatcher },
  v: { hcode: string; sub: string; cardRead: string; capture: Buffer },
): Promise<CounterComparison> {
  const account = await deps.accounts.findBySub(v.sub);
  if (!account) return { ok: false, reason: 'no_account' };
  const read = await inspectCardReadAt(deps.db, v.cardRead.trim(), { hcode: v.hcode });
  if (!read.ok) return { ok: false, reason: 'card_refused' };
  if (read.card.pid !== account.pid) return { ok: false, reason: 'not_this_person' };
  const chip = Buffer.from(read.card.chip_photo, 'base64');
  if (!deps.matcher) return { ok: true, comparison: null, chipPhoto: read.card.chip_photo };
  try {
    return { ok: true, comparison: await deps.matcher.compare({ pid: account.pid, faceWithCard: v.capture, cardFront: chip }), chipPhoto: read.card.chip_photo };
  } catch (err) {
    if (err instanceof FaceQualityError) return { ok: false, reason: 'face_quality', quality: err.reason };
    if (err instanceof FaceMatcherBusy) return { ok: false, reason: 'face_busy' };
    if (err instanceof FaceMatcherUnavailable) return { ok: true, comparison: null, chipPhoto: read.card.chip_photo };
    throw err;
  }
}

/** What the evidence keeps of a comparison: score, threshold, model, liveness (not the pictures). */
const faceCheckOf = (c: FaceComparison): FaceCheckEvidence => ({ score: c.score, threshold: c.threshold, matched: c.matched, model: c.model, ...(c.liveness ? { liveness: c.liveness } : {}), against: 'chip_photo' });

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').normalize('NFC').replace(/\s+/g, ' ').trim() === (b ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

export async function verifyInPerson(
  deps: { db: Database; accounts: Accounts; matcher?: FaceMatcher },
  v: { verifierSub: string; hcode: string; sub: string; cardRead: string; cardStatusConfirmed: boolean; faceCompared: boolean; reason: string; today?: string; capture?: Buffer },
): Promise<InPersonResult> {
  const { db, accounts } = deps;
  if (v.verifierSub === v.sub) return { ok: false, reason: 'self' };
  const account = await accounts.findBySub(v.sub);
  if (!account) return { ok: false, reason: 'no_account' };
  // the capture is compared before the document is used up: a refusal leaves it usable
  let comparison: FaceComparison | null = null;
  if (v.capture) {
    const compared = await compareAtCounter(deps, { hcode: v.hcode, sub: v.sub, cardRead: v.cardRead, capture: v.capture });
    if (!compared.ok) return compared;
    comparison = compared.comparison;
    // an automated score under the threshold is evidence against: the face cannot be confirmed over it
    if (comparison && !comparison.matched && v.faceCompared) return { ok: false, reason: 'face_below_threshold' };
  }
  // the challenge was issued to this verifier at this unit with the form they post
  const read = await verifyCardReadAt(db, v.cardRead.trim(), { hcode: v.hcode, actor: v.verifierSub });
  if (!read.ok) return { ok: false, reason: 'card_refused' };
  const card = read.card;
  if (card.pid !== account.pid || !same(card.given_name_th, account.givenName) || !same(card.family_name_th, account.familyName) || fromBuddhistDate(card.birthdate_be) !== account.birthdate) {
    return { ok: false, reason: 'not_this_person' };
  }
  const expiry = fromBuddhistDate(card.expiry_date_be);
  if (expiry < (v.today ?? new Date().toISOString().slice(0, 10))) return { ok: false, reason: 'card_expired' };
  // what was confirmed is recorded; the policy table decides the level it reaches
  const checks: Check[] = ['chip_read', ...(v.cardStatusConfirmed ? (['card_status'] as const) : []), ...(v.faceCompared ? (['face_compare_in_person'] as const) : [])];
  // the automated comparison is kept with the face the verifier confirmed; by eye alone is said so
  const faceCheck = v.faceCompared && comparison ? faceCheckOf(comparison) : undefined;
  const byEye = v.faceCompared && !faceCheck ? `; face compared by eye, no automated comparison (${v.capture ? 'face matcher unavailable' : 'no camera capture'})` : '';
  await db.tx((q) =>
    recordEvidence(q, {
      sub: v.sub,
      method: METHOD,
      checks,
      documents: [{ type: 'idcard', issuer: card.issuer || 'DOPA', number: maskPid(card.pid), expiry }],
      unitHcode: v.hcode,
      verifierSub: v.verifierSub,
      decision: 'approved',
      reason: `${v.reason || `card read by ${read.agentId}`}${byEye}`.slice(0, 500),
      ...(faceCheck ? { faceCheck } : {}),
    }),
  );
  return { ok: true, checks, ...(faceCheck ? { faceCheck } : {}) };
}

/**
 * Test zone only, until card reader agents are deployed: the verifier types the card data by hand.
 * Nothing is read from a chip, so the most it can record is a register-grade check (IAL 1.2 at most).
 */
export async function verifyByHand(
  deps: { db: Database; accounts: Accounts },
  v: { verifierSub: string; hcode: string; sub: string; card: { pid: string; givenName: string; familyName: string; birthdate: string; expiry: string }; cardStatusConfirmed: boolean; reason: string; today?: string },
): Promise<InPersonResult> {
  const { db, accounts } = deps;
  if (v.verifierSub === v.sub) return { ok: false, reason: 'self' };
  const account = await accounts.findBySub(v.sub);
  if (!account) return { ok: false, reason: 'no_account' };
  if (v.card.pid !== account.pid || !same(v.card.givenName, account.givenName) || !same(v.card.familyName, account.familyName) || v.card.birthdate !== account.birthdate) {
    return { ok: false, reason: 'not_this_person' };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.card.expiry) || v.card.expiry < (v.today ?? new Date().toISOString().slice(0, 10))) return { ok: false, reason: 'card_expired' };
  if (!v.cardStatusConfirmed) return { ok: false, reason: 'card_refused' };
  const checks: Check[] = ['register_check'];
  await db.tx((q) =>
    recordEvidence(q, {
      sub: v.sub,
      method: TYPED,
      checks,
      documents: [{ type: 'idcard', issuer: 'DOPA', number: maskPid(v.card.pid), expiry: v.card.expiry }],
      unitHcode: v.hcode,
      verifierSub: v.verifierSub,
      decision: 'approved',
      reason: v.reason || 'card data typed by the verifier (test zone); card status confirmed',
    }),
  );
  return { ok: true, checks };
}
