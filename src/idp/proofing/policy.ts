// The identity assurance policy of docs/assurance.md §2 as data: the checks each level needs. An account's IAL
// is the highest level whose checks are all present in its unrevoked evidence. Changing this table
// changes the outcome; the proofing methods only record which checks they performed.
import { IAL_LEVELS, type Ial } from '../../kernel/assurance.ts';

/** What a proofing method can establish. */
export const CHECKS = {
  phone_otp: 'phone number verified by one-time code',
  register_check: 'ID number, names, birth date and laser code confirmed valid by the population register',
  chip_read: 'ID card chip read at a registered service unit by an appointed verifier',
  card_status: 'card status valid at the authoritative source',
  photo_with_card_review: 'photo of the face holding the ID card reviewed and approved by a verifier',
  face_match: 'automated face comparison above threshold, confirmed by a verifier',
  face_compare_in_person: 'the verifier compared the live face with the chip photo',
  digital_id_ial_2_3: "DOPA's digital ID (ThaID) asserted IAL 2.3 in an ID token validated here, its ID number, names and birth date matching the account",
} as const;
export type Check = keyof typeof CHECKS;

export const IAL_POLICY: Array<{ ial: Ial; requires: Check[] }> = [
  { ial: '1.1', requires: ['phone_otp'] },
  { ial: '1.2', requires: ['phone_otp', 'register_check'] },
  { ial: '1.3', requires: ['chip_read', 'card_status'] },
  { ial: '2.1', requires: ['phone_otp', 'register_check', 'photo_with_card_review'] },
  { ial: '2.2', requires: ['phone_otp', 'register_check', 'photo_with_card_review', 'face_match'] },
  { ial: '2.3', requires: ['chip_read', 'card_status', 'face_compare_in_person'] },
  // remote, through DOPA's digital ID: its own enrolment reads the card and compares the face with liveness
  { ial: '2.3', requires: ['digital_id_ial_2_3'] },
  // 3 is reserved: no evidence reaches it yet
];

export function ialFromChecks(checks: Iterable<string>, policy = IAL_POLICY): Ial | undefined {
  const have = new Set(checks);
  let best: Ial | undefined;
  for (const row of policy) {
    if (row.requires.every((c) => have.has(c)) && (!best || IAL_LEVELS.indexOf(row.ial) > IAL_LEVELS.indexOf(best))) best = row.ial;
  }
  return best;
}
