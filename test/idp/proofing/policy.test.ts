// The IAL policy table: each level from exactly the checks docs/assurance.md §2 names; revoked or missing
// evidence lowers the level; a changed table changes the outcome without touching any method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ialFromChecks, IAL_POLICY } from '../../../src/idp/proofing/policy.ts';

test('each level needs exactly its evidence', () => {
  assert.equal(ialFromChecks([]), undefined, 'no verified phone: no level');
  assert.equal(ialFromChecks(['phone_otp']), '1.1');
  assert.equal(ialFromChecks(['phone_otp', 'register_check']), '1.2');
  assert.equal(ialFromChecks(['register_check']), undefined, 'the register check builds on a verified phone');
  assert.equal(ialFromChecks(['chip_read', 'card_status']), '1.3');
  assert.equal(ialFromChecks(['chip_read']), undefined, 'a chip read without the card status is not 1.3');
  assert.equal(ialFromChecks(['phone_otp', 'register_check', 'photo_with_card_review']), '2.1');
  assert.equal(ialFromChecks(['phone_otp', 'photo_with_card_review']), '1.1', '2.1 builds on 1.2');
  assert.equal(ialFromChecks(['phone_otp', 'register_check', 'photo_with_card_review', 'face_match']), '2.2');
  assert.equal(ialFromChecks(['chip_read', 'card_status', 'face_compare_in_person', 'phone_otp']), '2.3');
  assert.equal(ialFromChecks(['phone_otp', 'register_check', 'chip_read', 'card_status']), '1.3', 'the highest complete level wins');
  assert.equal(ialFromChecks(['phone_otp', 'digital_id_ial_2_3']), '2.3', "DOPA's digital ID at 2.3 gives 2.3 by itself");
});

test('the policy is data: a stricter table changes the outcome', () => {
  const stricter = IAL_POLICY.map((row) => (row.ial === '1.2' ? { ...row, requires: [...row.requires, 'card_status' as const] } : row));
  assert.equal(ialFromChecks(['phone_otp', 'register_check'], stricter), '1.1');
  assert.equal(ialFromChecks(['phone_otp', 'register_check', 'card_status'], stricter), '1.2');
});
