// Every identifier a page can show has words in both languages: each audit action the IdP records, each
// identity level, proofing method and check; times are Bangkok time with Buddhist-era dates on Thai
// pages; a User-Agent becomes a device name. Reads the source for the audit actions (no database).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { messages } from '../../../src/idp/web/messages.ts';
import { auditWords, checkWords, ialWords, methodWords, aalWords } from '../../../src/idp/login/views/words.ts';
import { CHECKS, IAL_POLICY } from '../../../src/idp/proofing/policy.ts';
import { PROOFING_METHODS } from '../../../src/idp/proofing/methods/index.ts';
import { formatDateTime, formatDay } from '../../../src/kernel/thai/time.ts';
import { deviceOf } from '../../../src/idp/login/device.ts';
import { deviceWords } from '../../../src/idp/account/pages/views.ts';

const SRC = path.resolve(import.meta.dirname, '../../../src/idp');
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : f.endsWith('.ts') ? [path.join(dir, f)] : []));

test('every audit action the IdP records has words in Thai and English', () => {
  const actions = new Set<string>(['evidence.approved', 'evidence.rejected']);
  for (const f of files(SRC)) for (const m of readFileSync(f, 'utf8').matchAll(/\baction: (?:[^'\n]*\? )?'([a-z_]+\.[a-z_.]+)'(?: : '([a-z_]+\.[a-z_.]+)')?/g)) for (const a of [m[1], m[2]]) if (a) actions.add(a);
  assert.ok(actions.size > 30, `found the actions (${actions.size})`);
  for (const a of actions) for (const lang of ['th', 'en'] as const) assert.ok(`audit_${a.replaceAll('.', '_')}` in messages[lang], `${a} has ${lang} words`);
  assert.equal(auditWords('th', 'consent.granted'), 'อนุญาตให้แอปเข้าถึงข้อมูล');
  assert.equal(auditWords('en', 'login.succeeded'), 'Logged in');
  assert.equal(auditWords('en', 'something.new'), 'Other activity', 'an unknown action is a generic phrase, not itself');
});

test('every level, method and check has words; citizens read no "IAL"', () => {
  for (const lang of ['th', 'en'] as const) {
    for (const row of IAL_POLICY) assert.doesNotMatch(ialWords(lang, row.ial), /IAL|ialPlain|\d\.\d/, row.ial);
    for (const c of Object.keys(CHECKS)) assert.notEqual(checkWords(lang, c), checkWords(lang, 'no-such-check'), `${c} (${lang})`);
    for (const m of PROOFING_METHODS) for (const id of Object.keys(m({} as never).evidence)) assert.notEqual(methodWords(lang, id), methodWords(lang, 'no-such-method'), `${id} (${lang})`);
  }
  assert.equal(ialWords('th', '2.3'), 'ยืนยันตัวตนระดับสูง ต่อหน้าเจ้าหน้าที่');
  assert.equal(ialWords('en', '-'), 'Not verified yet');
  assert.equal(aalWords('en', 'urn:th:etda:aal:2.2'), 'Authenticator app or passkey');
});

test('times are Bangkok time, with the Buddhist era on Thai pages', () => {
  const at = new Date('2026-12-02T04:16:00Z');
  assert.equal(formatDateTime(at, 'th'), '2 ธ.ค. 2569 11:16 น.');
  assert.equal(formatDateTime(at, 'en'), '2 Dec 2026, 11:16');
  assert.equal(formatDay(new Date('2026-12-01T18:30:00Z'), 'th'), '2 ธ.ค. 2569', 'already the next day in Bangkok');
  assert.equal(formatDateTime(at.getTime(), 'en'), formatDateTime(at.toISOString(), 'en'));
});

test('a User-Agent becomes a device name', () => {
  const chromeWin = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
  assert.equal(deviceWords('th', deviceOf(chromeWin)), 'Chrome บน Windows');
  assert.equal(deviceWords('en', deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1')), 'Safari on iOS');
  assert.equal(deviceWords('en', deviceOf('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 EdgA/120.0')), 'Edge on Android');
  assert.equal(deviceWords('en', deviceOf(undefined)), 'Unknown device');
});
