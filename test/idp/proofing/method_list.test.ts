// The proofing method list (methods/index.ts) against the contract: a method listed once is complete —
// a unique id, checks the policy knows, levels the policy table really gives for those checks, its
// messages in the catalogue in both languages, and at least one flow (the person's page or the console).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROOFING_METHODS } from '../../../src/idp/proofing/methods/index.ts';
import { CHECKS, IAL_POLICY, type ProofingDeps } from '../../../src/idp/proofing/index.ts';
import { messages } from '../../../src/idp/web/messages.ts';

// building a method only wires closures: nothing is queried until a request comes
const methods = PROOFING_METHODS.map((make) => make({ testZone: true } as ProofingDeps));

test('each method is listed once, under its own id', () => {
  const ids = methods.map((m) => m.id);
  assert.deepEqual(ids, ['register_check', 'photo_with_card', 'in_person', 'digital_id']);
  assert.equal(new Set(ids).size, ids.length);
});

test('each method records only checks the policy knows, and the levels it offers need one of them', () => {
  for (const m of methods) {
    for (const c of m.checks) assert.ok(c in CHECKS, `${m.id}: unknown check ${c}`);
    for (const ial of m.levels) {
      // a level may have several rows (in person, or through a digital ID): one of them needs this method
      const rows = IAL_POLICY.filter((r) => r.ial === ial);
      assert.ok(rows.length, `${m.id}: IAL ${ial} is not in the policy table`);
      assert.ok(rows.some((row) => row.requires.some((c) => m.checks.includes(c))), `${m.id}: IAL ${ial} needs none of its checks`);
    }
  }
});

test("each method's messages are in the catalogue, in Thai and in English", () => {
  for (const m of methods) {
    assert.deepEqual(Object.keys(m.messages.en).sort(), Object.keys(m.messages.th).sort(), m.id);
    for (const lang of ['th', 'en'] as const) {
      for (const [key, text] of Object.entries(m.messages[lang])) assert.equal((messages[lang] as Record<string, string>)[key], text, `${m.id}: ${lang}.${key} is not merged in proofing/messages.ts`);
    }
  }
});

test('each method joins the person’s page, the verifier console, or both', () => {
  for (const m of methods) assert.ok(m.citizen || m.verifier, m.id);
  assert.deepEqual(methods.filter((m) => m.verifier?.routes).map((m) => m.id), ['photo_with_card', 'in_person']);
});
