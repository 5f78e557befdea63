// IAL requests: min_ial and an essential ial claim, the stricter of the two; unknown levels cannot be met.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ialRank, requiredIal } from '../../../src/idp/proofing/ial.ts';

test('min_ial and essential ial claims are read as minimums', () => {
  assert.equal(requiredIal({}), undefined);
  assert.equal(requiredIal({ min_ial: '2.3' }), '2.3');
  assert.equal(requiredIal({ claims: JSON.stringify({ id_token: { ial: { essential: true, values: ['2.3', '1.3'] } } }) }), '1.3');
  assert.equal(requiredIal({ claims: { userinfo: { ial: { essential: true, value: '1.2' } } } }), '1.2');
  assert.equal(requiredIal({ min_ial: '1.2', claims: { id_token: { ial: { essential: true, values: ['2.1'] } } } }), '2.1', 'the stricter wins');
  assert.equal(requiredIal({ claims: { id_token: { ial: { values: ['2.3'] } } } }), undefined, 'a voluntary request is not a requirement');
  assert.equal(requiredIal({ claims: { id_token: { ial: { essential: true, values: ['9'] } } } }), null);
  assert.ok(ialRank('2.3') > ialRank('1.3') && ialRank('1.3') > ialRank('1.2'));
});
