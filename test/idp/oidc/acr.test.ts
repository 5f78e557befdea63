// The AAL table: what the factors of a login reach, what a request asks for, how long sessions live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aalOf, amrOf, factorsOfAmr, requiredAcr, secondFactorsReaching, sessionLimits } from '../../../src/idp/oidc/acr.ts';

test('each combination of factors reaches the level of docs/assurance.md', () => {
  assert.equal(aalOf(['pwd']), 'urn:th:etda:aal:1');
  assert.equal(aalOf(['sms']), 'urn:th:etda:aal:1');
  assert.equal(aalOf(['pwd', 'sms']), 'urn:th:etda:aal:2.1');
  assert.equal(aalOf(['pwd', 'recovery']), 'urn:th:etda:aal:2.1');
  assert.equal(aalOf(['pwd', 'otp']), 'urn:th:etda:aal:2.2');
  assert.equal(aalOf(['swk']), 'urn:th:etda:aal:2.2');
  assert.equal(aalOf(['hwk']), 'urn:th:etda:aal:2.2');
  assert.equal(aalOf(['hwk', 'pwd']), 'urn:th:etda:aal:3');
  assert.equal(aalOf(['swk', 'pwd']), 'urn:th:etda:aal:2.2', 'a synced passkey is not hardware-bound');
  assert.equal(aalOf(['otp']), undefined, 'a TOTP code alone is no login');
  assert.equal(aalOf([]), undefined);
  assert.equal(aalOf(['fed']), 'urn:th:etda:aal:1', "an upstream's login (ThaID) is one factor as seen from here");
  assert.equal(aalOf(['fed', 'otp']), 'urn:th:etda:aal:1', 'and no second factor raises it (the table has no such row)');
});

test('amr names the methods (RFC 8176) and mfa when more than one factor', () => {
  assert.deepEqual(amrOf(['pwd']), ['pwd']);
  assert.deepEqual(amrOf(['pwd', 'otp']).sort(), ['mfa', 'otp', 'pwd']);
  assert.deepEqual(amrOf(['swk']).sort(), ['mfa', 'swk', 'user']);
  assert.deepEqual(factorsOfAmr(amrOf(['pwd', 'sms'])).sort(), ['pwd', 'sms']);
  assert.deepEqual(amrOf(['fed']), ['fed']);
  assert.deepEqual(factorsOfAmr(['fed']), [], 'a step-up does not build on an upstream login: it starts with the person’s own factors');
});

test('a request asks for the weakest level it lists; essential acr wins over acr_values', () => {
  assert.equal(requiredAcr({}, undefined), 'urn:th:etda:aal:1');
  assert.equal(requiredAcr({ acr_values: 'urn:th:etda:aal:2.2' }, undefined), 'urn:th:etda:aal:2.2');
  assert.equal(requiredAcr({ acr_values: 'urn:th:etda:aal:2.2 urn:th:etda:aal:1' }, undefined), 'urn:th:etda:aal:1');
  const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:th:etda:aal:3', 'urn:th:etda:aal:2.1'] } } });
  assert.equal(requiredAcr({ claims, acr_values: 'urn:th:etda:aal:1' }, undefined), 'urn:th:etda:aal:2.1');
  assert.equal(requiredAcr({ claims: { id_token: { acr: { essential: true, value: 'urn:example:gold' } } } }, undefined), null, 'only unknown values cannot be met');
  assert.equal(requiredAcr({ claims: '{not json' }, ['urn:th:etda:aal:2.1']), 'urn:th:etda:aal:2.1', "the client's default_acr_values apply");
});

test('second factors that reach a level, and session limits per level', () => {
  assert.deepEqual(secondFactorsReaching('urn:th:etda:aal:2.2').sort(), ['hwk', 'otp', 'swk']);
  assert.deepEqual(secondFactorsReaching('urn:th:etda:aal:3'), ['hwk']);
  assert.deepEqual(sessionLimits('urn:th:etda:aal:1'), { lifetime: 30 * 86400, idle: 30 * 86400 });
  assert.deepEqual(sessionLimits('urn:th:etda:aal:2.2'), { lifetime: 12 * 3600, idle: 30 * 60 });
  assert.deepEqual(sessionLimits('urn:th:etda:aal:3'), { lifetime: 12 * 3600, idle: 15 * 60 });
  assert.deepEqual(sessionLimits(undefined), sessionLimits('urn:th:etda:aal:1'));
});
