// The web pages' refusals: forged and expired QR codes, bad unit codes, unreadable uploads, forms
// without their CSRF token, staff pages without a staff login: each a clear 4xx page, never a 500.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import sharp from 'sharp';
import { openPglite } from '../../src/kernel/db/index.ts';
import { Person } from '../helpers/person.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { loadQrSigner, qrPng } from '../../src/authencode/qr/index.ts';
import { pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';
import { createVisits } from '../../src/authencode/visits/index.ts';
import { loadClaimTypes } from '../../src/authencode/claim_types.ts';
import { createPii } from '../../src/kernel/pii/index.ts';

describe('Authen Code web pages refuse bad input clearly', () => {
  let zone: Zone;
  let base: string;
  before(async () => {
    zone = await startZone(await openPglite());
    base = zone.ac.url;
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  const csrfOf = async (p: Person) => Person.csrf((await p.follow('/visit')).body);

  it('a scanned QR code: a good one picks the unit and goes on to log in; a forged or expired one is refused with a message', async () => {
    const person = new Person(base);
    const signer = await loadQrSigner(zone.ac.config.qrKeyFile);
    const good = await person.follow(`/q/${await signer.sign('10699', 'PG0060001', 3600)}`);
    assert.match(good.external!, /\/auth\?/, 'on to the IdP to log in');
    assert.match(good.external!, /min_ial=1\.2/);

    const other = await jose.generateKeyPair('ES256');
    const forged = await new jose.SignJWT({ hcode: '10699', svc: 'PG0060001' }).setProtectedHeader({ alg: 'ES256', typ: 'unit-qr+jwt', kid: 'x' }).setIssuedAt().setExpirationTime('1h').sign(other.privateKey);
    let page = await new Person(base).follow(`/q/${forged}`);
    assert.equal(page.res.status, 400);
    assert.match(page.body, /role="alert"/);

    const key = JSON.parse(readFileSync(zone.ac.config.qrKeyFile, 'utf8'));
    const expired = await new jose.SignJWT({ hcode: '10699', svc: 'PG0060001' }).setProtectedHeader({ alg: 'ES256', typ: 'unit-qr+jwt', kid: key.kid }).setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(await jose.importJWK(key, 'ES256'));
    page = await new Person(base).follow(`/q/${expired}?lang=en`);
    assert.equal(page.res.status, 400);
    assert.match(page.body, /expired/i);
    page = await new Person(base).follow('/q/not-a-token');
    assert.equal(page.res.status, 400);
  });

  it('typed unit codes and uploaded photos: junk, an unknown unit, a retired service, a photo without a QR code', async () => {
    const person = new Person(base);
    const csrf = await csrfOf(person);
    for (const [code, status, text] of [
      ['hello', 400, 'รหัสหน่วยบริการไม่ถูกต้อง'],
      // a unit or a service nobody knows is a code to check, not a service that closed
      ['99999-0060', 400, 'ไม่รู้จักรหัสหน่วยบริการ 99999-0060 กรุณาตรวจสอบรหัส'],
      ['10699-0050', 400, 'ไม่รู้จักรหัสหน่วยบริการ 10699-0050 กรุณาตรวจสอบรหัส'],
      ['10699-0090', 400, 'บริการนี้ไม่เปิดให้ยืนยันแล้ว'],
    ] as const) {
      const page = await person.submit('/visit/code', { csrf, unit_code: code });
      assert.equal(page.res.status, status, code);
      assert.match(page.body, new RegExp(text), code);
      assert.doesNotMatch(page.body, code === '10699-0090' ? /ไม่รู้จักรหัส/ : /ไม่เปิดให้ยืนยันแล้ว/, code);
      assert.match(page.body, /<input id="unit_code"[^>]*value="[^"]+"[^>]*aria-invalid="true"/, `${code}: the field keeps what was typed and is marked`);
      assert.match(page.body, /<div class="error[^"]*" role="alert" id="form-error"/, code);
    }
    const en = await person.follow('/visit/code?lang=en', { method: 'POST', body: new URLSearchParams({ csrf, unit_code: '99999-0060' }) });
    assert.match(en.body, /The unit code 99999-0060 is not known\. Check the code/);
    await person.follow('/visit?lang=th');
    const ok = await person.submit('/visit/code', { csrf, unit_code: '10699 0060' });
    assert.match(ok.external!, /\/auth\?/);

    // a QR code we signed for a unit this service does not know: the staff should check it
    const signer = await loadQrSigner(zone.ac.config.qrKeyFile);
    const unknownUnit = await new Person(base).follow(`/q/${await signer.sign('99998', 'PG0060001', 3600)}`);
    assert.equal(unknownUnit.res.status, 400);
    assert.match(unknownUnit.body, /คิวอาร์โค้ดนี้มีรหัสหน่วยบริการ 99998-0060 ซึ่งระบบไม่รู้จัก/);

    const upload = async (file: Buffer | undefined, type: string) => {
      const form = new FormData();
      form.set('csrf', csrf);
      if (file) form.set('qr_image', new Blob([new Uint8Array(file)], { type }), 'photo');
      return person.follow('/visit/scan', { method: 'POST', body: form });
    };
    let page = await upload(Buffer.from('not an image at all'), 'text/plain');
    assert.equal(page.res.status, 400);
    assert.match(page.body, /ไฟล์ที่อัปโหลด \(ขนาด 19 B\) ไม่ใช่รูปภาพ/, 'says the file is not a picture, and its size');
    assert.match(page.body, /<span class="field-error" id="qr_image-error">/);
    page = await upload(undefined, '');
    assert.equal(page.res.status, 400);
    assert.match(page.body, /เลือกรูปคิวอาร์โค้ดที่จะอัปโหลด/);
    page = await upload(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png().toBuffer(), 'image/png');
    assert.match(page.body, /ไม่พบคิวอาร์โค้ดในรูปนี้/);
    page = await upload(await qrPng('https://elsewhere.example/q/x'), 'image/png');
    assert.equal(page.res.status, 400, 'a QR code that is not a unit code');
    page = await upload(Buffer.alloc(9 * 1024 * 1024, 1), 'image/jpeg');
    assert.equal(page.res.status, 413);
    assert.match(page.body, /รูปที่อัปโหลดมีขนาดใหญ่เกิน 8 MB/, 'the pick page again, saying the photo is too large');
  });

  it('forms without a valid CSRF token, wrong body types and pages that need a login', async () => {
    const person = new Person(base);
    await csrfOf(person);
    let page = await person.submit('/visit/code', { csrf: 'forged', unit_code: '10699-0060' });
    assert.equal(page.res.status, 403);
    assert.match(page.body, /แบบฟอร์มหมดอายุ/);
    page = await person.follow('/visit/code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(page.res.status, 415);
    page = await person.follow('/visit/confirm');
    assert.equal(new URL(page.url).pathname, '/visit', 'nothing picked yet: back to picking');
    const staff = await person.follow('/staff');
    assert.match(staff.external!, /acr_values=urn%3Ath%3Aetda%3Aaal%3A2\.1/, 'staff log in at AAL 2.1');
    assert.match(staff.external!, /scope=openid\+profile\+health_personnel/);
    page = await person.submit('/staff/patient', { csrf: 'x', pid: '1234567890121' });
    assert.equal(page.res.status, 403);
    page = await person.follow('/auth/callback?code=abc&state=xyz');
    assert.equal(page.res.status, 400, 'a callback without a login in progress');
    page = await person.follow('/no-such-page');
    assert.equal(page.res.status, 404);
    assert.match(page.res.headers.get('content-security-policy')!, /script-src 'self'/);
  });

  it("a citizen vouching for someone already confirmed by others is told so without the code; ten vouches a day at most", async () => {
    const citizen = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000077'), phone_number: '0867770000', phone_verified: true };
    const sub = (await zone.idp.app().accounts.create(citizen)).sub;
    await zone.idp.db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
    const relative = pidWithCheckDigit('110090000078');
    // on the service's clock: the same day of service as the pages below
    const visits = createVisits(zone.ac.db, createPii(zone.ac.config.piiKey), await loadClaimTypes(zone.ac.db), zone.now);
    const byStaff = await visits.confirmNew({ pid: relative, hcode: '10699', claimType: 'PG0060001', serviceAt: new Date(zone.now()), mobiles: ['0811111111'], method: 'certification', actor: 'sub:someone-at-the-counter' });

    const person = new Person(base);
    const csrf = await csrfOf(person);
    const toIdp = await person.submit('/visit/code', { csrf, unit_code: '10699-0060' });
    const atIdp = new Person(zone.idp.url);
    atIdp.jar = person.jar; // one browser: cookies do not tell the two ports apart
    const back = await atIdp.logInAndConsent(toIdp.external!, citizen.pid, citizen.password);
    const confirm = await person.follow(back);
    assert.equal(new URL(confirm.url).pathname, '/visit/confirm');
    const form = { csrf: Person.csrf(confirm.body), who: 'family', relationship: 'parent', mobile: '0867770000' };
    const told = await person.submit('/visit/confirm', { ...form, family_pid: relative });
    assert.equal(told.res.status, 409);
    assert.match(told.body, /สอบถามรหัสจากเจ้าหน้าที่/);
    assert.ok(!told.body.includes(byStaff.visit.claimCode!), 'the code is not handed out');
    assert.equal((await person.follow(`/visit/done/${byStaff.visit.id}`)).res.status, 404);

    const own = await person.submit('/visit/confirm', { ...form, family_pid: pidWithCheckDigit('110090000079') });
    assert.equal(own.res.status, 200);
    assert.match(own.body, /class="authen-code"[^>]*>PP\d{10}</);

    // ten confirmations for others a day at most
    for (let i = 0; i < 9; i++) assert.equal((await person.submit('/visit/confirm', { ...form, family_pid: pidWithCheckDigit(`1100900001${String(i).padStart(2, '0')}`) })).res.status, 200);
    const limited = await person.submit('/visit/confirm', { ...form, family_pid: pidWithCheckDigit('110090000200') });
    assert.equal(limited.res.status, 429);
    assert.match(limited.body, /ครบ 10 ครั้งแล้ว/);
    const self = await person.submit('/visit/confirm', { ...form, who: 'self' });
    assert.equal(self.res.status, 200, 'their own visit is not limited');
  });
});
