import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { CompactSign, importJWK, type JWK } from 'jose';
import sharp from 'sharp';
import {
  QrError,
  decodeQrImage,
  loadQrSigner,
  parseShortUnitCode,
  qrPng,
  qrSignerFromJwk,
  qrSvg,
  shortUnitCode,
} from '../../src/authencode/qr/index.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'unit-qr-'));
const now = () => Math.floor(Date.now() / 1000);

/** Signs an arbitrary header/payload with the private key in a key file, to make tokens the API would not. */
async function rawToken(keyFile: string, payload: unknown, header: Record<string, unknown> = {}) {
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, 'ES256');
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'ES256', typ: 'unit-qr+jwt', kid: jwk.kid, ...header })
    .sign(key);
}

async function refusal(p: Promise<unknown>): Promise<QrError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof QrError, `expected QrError, got ${err}`);
    return err;
  }
  assert.fail('expected verify to refuse the token');
}

test('sign → verify round trip; token header and payload are as specified and short', async () => {
  const file = path.join(tmp(), 'k.json');
  const signer = await loadQrSigner(file);
  const token = await signer.sign('10699', 'PG0060001', 3600);
  const got = await signer.verify(token);
  assert.equal(got.hcode, '10699');
  assert.equal(got.claimType, 'PG0060001');
  assert.ok(Math.abs(got.exp - (now() + 3600)) <= 2);
  const [h, p] = token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { alg: 'ES256', typ: 'unit-qr+jwt', kid: signer.publicJwk.kid });
  assert.deepEqual(Object.keys(JSON.parse(Buffer.from(p, 'base64url').toString())).sort(), ['exp', 'hcode', 'iat', 'svc']);
  assert.ok(token.length < 300, `token is ${token.length} chars`);
  assert.equal(signer.publicJwk.d, undefined);
  assert.equal(typeof signer.publicJwk.kid, 'string');
});

test('sign refuses bad input', async () => {
  const signer = await loadQrSigner(path.join(tmp(), 'k.json'));
  await assert.rejects(signer.sign('1069', 'PG0060001', 60), RangeError);
  await assert.rejects(signer.sign('10699', 'XX0060001', 60), RangeError);
  await assert.rejects(signer.sign('10699', 'PG0060001', 0), RangeError);
});

test('expired token refused with reason expired; within 60 s of exp still accepted', async () => {
  const file = path.join(tmp(), 'k.json');
  const signer = await loadQrSigner(file);
  const old = await rawToken(file, { hcode: '10699', svc: 'PG0060001', exp: now() - 120, iat: now() - 7200 });
  const err = await refusal(signer.verify(old));
  assert.equal(err.reason, 'expired');
  assert.equal(err.messages.th, 'คิวอาร์โค้ดนี้หมดอายุแล้ว ขอรหัสใหม่จากเจ้าหน้าที่');
  assert.match(err.messages.en, /expired/);
  const justNow = await rawToken(file, { hcode: '10699', svc: 'PG0060001', exp: now() - 30, iat: now() - 7200 });
  assert.equal((await signer.verify(justNow)).hcode, '10699');
});

test('token signed by another key is forged', async () => {
  const dir = tmp();
  const signer = await loadQrSigner(path.join(dir, 'a.json'));
  const other = await loadQrSigner(path.join(dir, 'b.json'));
  assert.notEqual(signer.publicJwk.kid, other.publicJwk.kid);
  const err = await refusal(signer.verify(await other.sign('10699', 'PG0060001', 3600)));
  assert.equal(err.reason, 'forged');
  assert.ok(err.messages.th.length > 0 && err.messages.en.length > 0);
});

test('tampered payload, wrong typ and alg none are forged', async () => {
  const file = path.join(tmp(), 'k.json');
  const signer = await loadQrSigner(file);
  const token = await signer.sign('10699', 'PG0060001', 3600);
  const [h, p, s] = token.split('.');
  const changed = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), hcode: '99999' };
  const tampered = [h, Buffer.from(JSON.stringify(changed)).toString('base64url'), s].join('.');
  assert.equal((await refusal(signer.verify(tampered))).reason, 'forged');

  const wrongTyp = await rawToken(file, { hcode: '10699', svc: 'PG0060001', exp: now() + 60, iat: now() }, { typ: 'JWT' });
  assert.equal((await refusal(signer.verify(wrongTyp))).reason, 'forged');

  const none = [Buffer.from(JSON.stringify({ alg: 'none', typ: 'unit-qr+jwt' })).toString('base64url'), p, s].join('.');
  assert.equal((await refusal(signer.verify(none))).reason, 'forged');
});

test('garbage and ill-typed payloads are malformed', async () => {
  const file = path.join(tmp(), 'k.json');
  const signer = await loadQrSigner(file);
  for (const junk of ['', 'hello', 'a.b.c', 'a.b', '{"hcode":"10699"}', '10699-0060', 'x'.repeat(5000)]) {
    assert.equal((await refusal(signer.verify(junk))).reason, 'malformed', JSON.stringify(junk.slice(0, 20)));
  }
  const bad = [
    { svc: 'PG0060001', exp: now() + 60, iat: now() },
    { hcode: '1069', svc: 'PG0060001', exp: now() + 60, iat: now() },
    { hcode: 10699, svc: 'PG0060001', exp: now() + 60, iat: now() },
    { hcode: '10699', svc: 'PG006000', exp: now() + 60, iat: now() },
    { hcode: '10699', svc: 'PG0060001', exp: String(now() + 60), iat: now() },
    { hcode: '10699', svc: 'PG0060001', exp: now() + 60 },
    ['10699'],
  ];
  for (const payload of bad) {
    assert.equal((await refusal(signer.verify(await rawToken(file, payload)))).reason, 'malformed', JSON.stringify(payload));
  }
});

test('key file: created 0600 in new dirs, reloaded with same kid, old tokens still verify', async () => {
  const file = path.join(tmp(), 'nested', 'deeper', 'unit-qr-key.json');
  const first = await loadQrSigner(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  assert.equal(jwk.kty, 'EC');
  assert.equal(jwk.crv, 'P-256');
  assert.equal(typeof jwk.d, 'string');
  assert.equal(jwk.kid, first.publicJwk.kid);
  const token = await first.sign('10699', 'PG0110001', 600);

  const again = await loadQrSigner(file);
  assert.equal(again.publicJwk.kid, first.publicJwk.kid);
  assert.equal((await again.verify(token)).claimType, 'PG0110001');
  const fromConfig = await qrSignerFromJwk(jwk);
  assert.equal(fromConfig.publicJwk.kid, first.publicJwk.kid);
  assert.equal((await fromConfig.verify(token)).hcode, '10699');
});

test('qrSignerFromJwk refuses keys that are not P-256 private keys', async () => {
  const file = path.join(tmp(), 'k.json');
  const signer = await loadQrSigner(file);
  await assert.rejects(qrSignerFromJwk(signer.publicJwk), TypeError);
  await assert.rejects(qrSignerFromJwk({ kty: 'oct', k: 'AAAA' }), TypeError);
});

test('qrSvg is an SVG; qrPng is a PNG that decodes back to the token', async () => {
  const signer = await loadQrSigner(path.join(tmp(), 'k.json'));
  const token = await signer.sign('10699', 'PG0060001', 3600);
  const svg = await qrSvg(token);
  assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  assert.match(svg, /<\/svg>\s*$/);
  const png = await qrPng(token);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(await decodeQrImage(png), token);
  // a large image goes through the resize step and still decodes
  assert.equal(await decodeQrImage(await qrPng(token, 2400)), token);
  // the SVG rendered to pixels (10 px per module) decodes as well
  assert.equal(await decodeQrImage(await sharp(Buffer.from(svg), { density: 720 }).png().toBuffer()), token);
});

test('decodeQrImage returns undefined for non-images and images without a code', async () => {
  assert.equal(await decodeQrImage(randomBytes(4096)), undefined);
  assert.equal(await decodeQrImage(Buffer.alloc(0)), undefined);
  const white = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#ffffff' } }).png().toBuffer();
  assert.equal(await decodeQrImage(white), undefined);
});

test('short unit codes round trip and junk is refused', () => {
  assert.equal(shortUnitCode('10699', 'PG0060001'), '10699-0060');
  for (const claimType of ['PG0060001', 'PG0110001', 'PG0120001', 'PG0130001']) {
    const code = shortUnitCode('10699', claimType);
    assert.match(code, /^10699-\d{4}$/);
    assert.deepEqual(parseShortUnitCode(code), { hcode: '10699', claimType });
  }
  const want = { hcode: '10699', claimType: 'PG0130001' };
  for (const typed of ['10699-0130', ' 10699 0130 ', '106990130', '10699 - 0130', '10699–0130', '๑๐๖๙๙-๐๑๓๐']) {
    assert.deepEqual(parseShortUnitCode(typed), want, typed);
  }
  for (const junk of ['', 'abc', '1069-0130', '10699-013', '10699-01300', '10699--0130', 'PG0130001', '10699-01a0', '10699_0130', '10699-0130x']) {
    assert.equal(parseShortUnitCode(junk), undefined, junk);
  }
  assert.throws(() => shortUnitCode('1069', 'PG0060001'), RangeError);
  assert.throws(() => shortUnitCode('10699', 'PG0060002'), RangeError);
});
