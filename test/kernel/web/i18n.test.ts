// One translator factory for both services: `{name}` placeholders filled, and an unfilled one either
// dropped (the IdP) or kept as written (the Authen Code service).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranslator } from '../../../src/kernel/web/i18n.ts';

const messages = { th: { hello: 'สวัสดี {name}' }, en: { hello: 'Hello {name}' } };

test('placeholders are filled in the chosen language', () => {
  const t = createTranslator(messages);
  assert.equal(t('th', 'hello', { name: 'สมชาย' }), 'สวัสดี สมชาย');
  assert.equal(t('en', 'hello', { name: 0 }), 'Hello 0');
});

test('an unfilled placeholder is dropped, or kept with keepUnfilled', () => {
  assert.equal(createTranslator(messages)('en', 'hello'), 'Hello ');
  assert.equal(createTranslator(messages, { keepUnfilled: true })('en', 'hello'), 'Hello {name}');
});
