import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import { loadOrCreateKey } from '../src/signing/key.ts';
import { CARD_READ_TYP, signCardRead } from '../src/signing/card_read.ts';
import type { ThaiIdCard } from '../src/card/thai_id.ts';
import { createLogger } from '../src/log.ts';

const dir = mkdtempSync(join(tmpdir(), 'mpid-agent-key-'));
const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const card: ThaiIdCard = {
  pid: '1101700203450', title_th: 'นาย', given_name_th: 'สมชาย', middle_name_th: '', family_name_th: 'ใจดี',
  title_en: 'Mr.', given_name_en: 'Somchai', middle_name_en: '', family_name_en: 'Jaidee',
  birthdate_be: '25250315', gender: '1', issuer: 'ที่ว่าการอำเภอบางรัก', issue_date_be: '25640110', expiry_date_be: '25730314',
  address: { house_no: '99/1', moo: 'หมู่ที่ 4', trok: '', soi: 'ซอยสุขใจ', road: 'ถนนสีลม', subdistrict: 'ตำบลสีลม', district: 'อำเภอบางรัก', province: 'จังหวัดกรุงเทพมหานคร' },
  photo,
};

test('the key is made once, mode 0600, and reused', async () => {
  const first = await loadOrCreateKey(dir);
  assert.equal(first.created, true);
  assert.equal(statSync(first.file).mode & 0o777, 0o600);
  assert.match(readFileSync(first.file, 'utf8'), new RegExp(`^-----BEGIN ${'PRIVATE'} KEY-----`));
  const again = await loadOrCreateKey(dir);
  assert.equal(again.created, false);
  assert.deepEqual(again.publicJwk, first.publicJwk);
  assert.deepEqual(Object.keys(first.publicJwk).sort(), ['crv', 'kty', 'x', 'y']);
  assert.equal(first.publicJwk.crv, 'P-256');
  assert.equal(first.thumbprint, await jose.calculateJwkThumbprint(first.publicJwk));
});

test('the card-read document verifies against the public JWK: header, payload, nonce, two minutes', async () => {
  const key = await loadOrCreateKey(dir);
  const nonce = 'n'.repeat(32);
  const now = Date.UTC(2026, 0, 5, 3, 0, 0);
  const jws = await signCardRead({ privateKey: key.privateKey, agentId: 'agent-0123456789abcdef', hcode: '10669', nonce, card, now });
  const { payload, protectedHeader } = await jose.compactVerify(jws, await jose.importJWK(key.publicJwk, 'ES256'));
  assert.deepEqual(protectedHeader, { alg: 'ES256', typ: CARD_READ_TYP, kid: 'agent-0123456789abcdef' });
  const p = JSON.parse(new TextDecoder().decode(payload));
  assert.deepEqual(Object.keys(p).sort(), ['card', 'exp', 'hcode', 'iat', 'iss', 'jti', 'nonce']);
  assert.equal(p.iss, 'agent:agent-0123456789abcdef');
  assert.equal(p.iat, now / 1000);
  assert.equal(p.exp - p.iat, 120);
  assert.equal(p.hcode, '10669');
  assert.equal(p.nonce, nonce);
  assert.ok(p.jti.length >= 16);
  assert.deepEqual(p.card, {
    pid: card.pid, title_th: 'นาย', given_name_th: 'สมชาย', family_name_th: 'ใจดี', title_en: 'Mr.', given_name_en: 'Somchai', family_name_en: 'Jaidee',
    birthdate_be: '25250315', gender: '1', issuer: card.issuer, issue_date_be: '25640110', expiry_date_be: '25730314', address: card.address, chip_photo: photo.toString('base64'),
  });
  assert.equal('middle_name_th' in p.card, false, 'empty optional strings are left out');
  const other = await signCardRead({ privateKey: key.privateKey, agentId: 'agent-0123456789abcdef', hcode: '10669', nonce, card, now });
  assert.notEqual(JSON.parse(Buffer.from(other.split('.')[1]!, 'base64url').toString()).jti, p.jti, 'a fresh jti each read');
});

test('a log line never carries an ID number, name, photo or token', () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l) });
  log.info('read for 1101700203450 at /api/nhso-service/latest-authen-code/1101700203450', { pid: '1101700203450', token: 'eyJ…', given_name_th: 'สมชาย', photo: 'AAAA', reader: 'Virtual PCD 00 00', note: 'x1101700203450y' });
  const line = lines[0]!;
  assert.doesNotMatch(line, /\d{13}|สมชาย|eyJ|AAAA/);
  assert.match(line, /\*{13}/);
  assert.equal(JSON.parse(line).reader, 'Virtual PCD 00 00');
});
