// In-person verification at a Digital ID service point: a verifier reads the person's card with the
// unit's card reader agent (a signed card-read document), confirms the card status and compares the
// live face with the chip photo. The IAL follows from what was confirmed (chip read + status → 1.3;
// + face → 2.3). Nobody verifies themselves; the card must be the account's own.
import type { Database } from '../../../../kernel/db/index.ts';
import type { Accounts } from '../../../account/index.ts';
import { maskPid } from '../../../../kernel/pii/index.ts';
import { verifyCardReadAt } from '../../card_agents.ts';
import { fromBuddhistDate } from '../../../../kernel/thai/dates.ts';
import { recordEvidence } from '../../evidence.ts';
import type { Check } from '../../policy.ts';

export const METHOD = 'in_person';
/** the test zone's card data typed by the verifier (verifyByHand) */
export const TYPED = 'in_person_typed';

export type InPersonResult =
  | { ok: true; checks: Check[] }
  | { ok: false; reason: 'self' | 'card_refused' | 'not_this_person' | 'card_expired' | 'no_account' };

const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').normalize('NFC').replace(/\s+/g, ' ').trim() === (b ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

export async function verifyInPerson(
  deps: { db: Database; accounts: Accounts },
  v: { verifierSub: string; hcode: string; sub: string; cardRead: string; cardStatusConfirmed: boolean; faceCompared: boolean; reason: string; today?: string },
): Promise<InPersonResult> {
  const { db, accounts } = deps;
  if (v.verifierSub === v.sub) return { ok: false, reason: 'self' };
  const account = await accounts.findBySub(v.sub);
  if (!account) return { ok: false, reason: 'no_account' };
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
  await db.tx((q) =>
    recordEvidence(q, {
      sub: v.sub,
      method: METHOD,
      checks,
      documents: [{ type: 'idcard', issuer: card.issuer || 'DOPA', number: maskPid(card.pid), expiry }],
      unitHcode: v.hcode,
      verifierSub: v.verifierSub,
      decision: 'approved',
      reason: v.reason || `card read by ${read.agentId}`,
    }),
  );
  return { ok: true, checks };
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
