// The Authen Code service end to end in Chromium, against a running IdP (real OIDC, no shortcuts):
// a citizen scans the unit's QR code, meets the IAL requirement, confirms for themself and a family
// member; a member of staff checks a patient's entitlement and confirms by certification, photo and
// card read, drafts and confirms, edits and cancels, prints QR codes and reads the report.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as jose from 'jose';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { launchBrowser, logInThai, smsCode, stillVideo } from '../helpers/browser.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';
import { loadQrSigner, qrPng } from '../../src/authencode/qr/index.ts';
import { registerUnitAgent } from '../../src/authencode/agents.ts';
import { SAMPLE_CARD, signCardRead } from '../helpers/card_read.ts';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../samples', name);
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000002'), given_name: 'มานี', family_name: 'ใจดี', birthdate: '1980-05-05', phone_number: '0861234567', phone_verified: true };
const CHILD_PID = pidWithCheckDigit('110090000003');

describe('Authen Code service in the browser', () => {
  let zone: Zone;
  let browser: Browser;
  let citizenSub: string;
  let patient: { pid: string; given: string };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'authencode-browser-'));

  before(async () => {
    zone = await startZone(await openPglite(), process.env.AC_LOG ? { LOG_LEVEL: process.env.AC_LOG } : {});
    browser = await launchBrowser();
    const { accounts, personnel, units } = zone.idp.app();
    await units.importFile(fixture('units.csv'));
    await personnel.importFile(fixture('personnel.csv'));
    const staff = await accounts.create({ ...TEST_PERSON, phone_verified: true });
    await personnel.link((await accounts.findBySub(staff.sub))!);
    citizenSub = (await accounts.create(CITIZEN)).sub;
    const row = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n')[1]!.split(',');
    patient = { pid: row[0]!, given: row[2]! };
  });
  after(async () => {
    await browser?.close();
    await zone?.close();
    await zone?.idp.db.close();
  });

  /** At the IdP after a login: allow the service on the consent page when asked, until back at the service. */
  async function backAtService(page: Page, pathname: string) {
    const allow = page.getByRole('button', { name: 'อนุญาต', exact: true });
    const back = page.waitForURL(`${zone.ac.url}${pathname}`);
    const asked = await Promise.race([back.then(() => false), allow.waitFor().then(() => true)]);
    if (asked) await allow.click();
    await back.catch(async (e) => { console.error(`not back at the service (${page.url()}):`, (await page.locator('body').innerText()).slice(0, 500)); throw e; });
  }

  test('a citizen scans the QR code, meets the IAL requirement, and gets Authen Codes for themself and a child', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const signer = await loadQrSigner(zone.ac.config.qrKeyFile);
    const poster = path.join(tmp, 'poster.png');
    writeFileSync(poster, await qrPng(`${zone.ac.url}/q/${await signer.sign('10699', 'PG0060001', 86400)}`));

    await page.goto(`${zone.ac.url}/visit`);
    await page.getByLabel('รูปคิวอาร์โค้ด').setInputFiles(poster);
    await page.getByRole('button', { name: 'อ่านคิวอาร์โค้ด' }).click();
    // at the IdP: log in; an account at IAL 1.1 cannot reach the service's IAL 1.2
    await logInThai(page, CITIZEN.pid, CITIZEN.password);
    await page.getByRole('button', { name: /กลับไปยัง/ }).click();
    await page.waitForURL(`${zone.ac.url}/**`);
    assert.match(await page.getByRole('alert').innerText(), /IAL 1\.2/);

    // the citizen proves more (a register check), then logs in again
    await zone.idp.db.tx((q) => recordEvidence(q, { sub: citizenSub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
    await page.getByRole('link', { name: 'ลองเข้าสู่ระบบอีกครั้ง' }).click();
    await logInThai(page, CITIZEN.pid, CITIZEN.password);
    await backAtService(page, '/visit/confirm');
    assert.match(await page.locator('main').innerText(), /10699/);
    assert.equal(await page.getByLabel('เบอร์โทรศัพท์มือถือ').inputValue(), '0861234567', 'the verified phone is offered');
    await page.getByRole('button', { name: 'ยืนยันและรับ Authen Code' }).click();
    const code = (await page.locator('.authen-code').innerText()).trim();
    assert.match(code, /^PP\d{10}$/);
    assert.equal(await page.getByLabel('รหัสสำหรับคัดลอก').inputValue(), code);

    // for a child, by typing the unit code; a wrong ID number is announced first
    await page.goto(`${zone.ac.url}/visit`);
    await page.getByLabel(/พิมพ์รหัสหน่วยบริการ/).fill('10699-0060');
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    assert.equal(await page.getByLabel('ความสัมพันธ์').isVisible(), false, 'confirming for oneself: no family fields');
    await page.getByRole('radio', { name: 'สมาชิกในครอบครัว' }).check();
    assert.equal(await page.getByLabel('ความสัมพันธ์').isVisible(), true, 'for a family member: their fields appear');
    await page.getByLabel('เลขประจำตัวประชาชนของสมาชิกในครอบครัว').fill('1234567890123');
    await page.getByRole('button', { name: 'ยืนยันและรับ Authen Code' }).click();
    assert.match(await page.getByRole('alert').innerText(), /เลขประจำตัวประชาชนไม่ถูกต้อง/);
    await page.getByLabel('เลขประจำตัวประชาชนของสมาชิกในครอบครัว').fill(CHILD_PID);
    await page.getByLabel('ความสัมพันธ์').selectOption('child');
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('0861234567,0891112222');
    await page.getByRole('button', { name: 'ยืนยันและรับ Authen Code' }).click();
    const childCode = (await page.locator('.authen-code').innerText()).trim();
    assert.match(childCode, /^PP\d{10}$/);
    assert.notEqual(childCode, code);
    const { rows } = await zone.ac.db.query("SELECT method, evidence FROM authencode.visits WHERE claim_code = $1", [childCode]);
    assert.equal(rows[0]!.method, 'vouch');
    assert.equal(rows[0]!.evidence.relationship, 'child');
    assert.equal(rows[0]!.evidence.certifier.sub, citizenSub, 'the citizen is recorded as the one who vouched');

    // the same service again today: the same code, said plainly
    await page.goto(`${zone.ac.url}/visit`);
    await page.getByLabel(/พิมพ์รหัสหน่วยบริการ/).fill('106990060');
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    await page.getByRole('button', { name: 'ยืนยันและรับ Authen Code' }).click();
    assert.equal((await page.locator('.authen-code').innerText()).trim(), code);
    assert.match(await page.getByRole('status').first().innerText(), /ยืนยันบริการนี้ที่หน่วยบริการนี้แล้ว/);
    await page.getByRole('link', { name: 'ประวัติ Authen Code ของฉัน' }).click();
    assert.match(await page.locator('table').innerText(), new RegExp(code));
  });

  test('staff confirm visits by certification, photo and card read; draft then confirm; edit and cancel; QR codes and report', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${zone.ac.url}/staff`);
    await logInThai(page, TEST_PERSON.pid, TEST_PERSON.password);
    // staff log in at AAL 2.1: an SMS code at the IdP
    await page.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
    await page.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(zone.idp.url, '+66812345678'));
    await page.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
    await backAtService(page, '/staff');
    // personnel at two units: choose one
    await page.getByLabel('เลือกหน่วยบริการที่ปฏิบัติงาน').selectOption('10699');
    await page.getByRole('button', { name: 'เลือก' }).click();

    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับบริการ').fill(patient.pid);
    await page.getByRole('button', { name: 'ตรวจสอบสิทธิ' }).click();
    const entitlement = await page.locator('table').first().innerText();
    assert.match(entitlement, new RegExp(patient.given));
    assert.match(entitlement, /\d+ ปี \d+ เดือน \d+ วัน/);
    assert.match(entitlement, /\((UCS|SSS|OFC|LGO)\)/);
    const viewed = await zone.ac.db.query("SELECT actor, detail FROM authencode.audit_events WHERE action = 'entitlement.viewed'");
    assert.equal(viewed.rows.length, 1, 'the look-up is recorded');
    assert.ok(!JSON.stringify(viewed.rows[0]).includes(patient.pid), 'with the ID number masked');

    // certification; nothing filled first → every missing field announced
    await page.getByLabel('รับรองโดยผู้รับรอง (ไม่ได้ใช้บัตรของผู้รับบริการ)').check();
    await page.getByLabel('PG0060001 เข้ารับบริการรักษาทั่วไป (OPD/ IPD/ PP)').check();
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('0812223333');
    await page.getByRole('button', { name: 'ยืนยันและขอ Authen Code' }).click();
    assert.match(await page.getByRole('alert').innerText(), /ผู้รับรอง/);
    await page.getByLabel('รับรองโดยผู้รับรอง (ไม่ได้ใช้บัตรของผู้รับบริการ)').check();
    await page.getByLabel('PG0060001 เข้ารับบริการรักษาทั่วไป (OPD/ IPD/ PP)').check();
    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับรอง').fill(CITIZEN.pid);
    await page.getByLabel('ชื่อ-สกุลผู้รับรอง').fill('มานี ใจดี');
    await page.getByLabel('ความสัมพันธ์ของผู้รับรอง').selectOption('guardian');
    await page.getByLabel('เหตุผลที่ไม่ได้ใช้บัตรของผู้รับบริการ').fill('ผู้ป่วยเด็ก ไม่มีบัตร');
    await page.getByLabel('HN').fill('HN-42');
    await page.getByRole('button', { name: 'ยืนยันและขอ Authen Code' }).click();
    const confirmed = await page.getByRole('status').first().innerText();
    const code = confirmed.match(/PP\d{10}/)![0];

    // a second confirmation the same day returns the same code
    await page.goto(`${zone.ac.url}/staff`);
    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับบริการ').fill(patient.pid);
    await page.getByRole('button', { name: 'ตรวจสอบสิทธิ' }).click();
    assert.match(await page.locator('main').innerText(), new RegExp(code), 'the latest code at this unit is shown');
    await page.getByLabel('ถ่ายภาพผู้รับบริการคู่กับบัตรประชาชน').check();
    const photo = path.join(tmp, 'patient.png');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#a0b0c0' } }).png().toFile(photo);
    await page.getByLabel('ภาพผู้รับบริการคู่กับบัตร', { exact: true }).setInputFiles(photo);
    await page.getByLabel('PG0060001 เข้ารับบริการรักษาทั่วไป (OPD/ IPD/ PP)').check();
    await page.getByLabel('PG0130001 บริการฟอกเลือดด้วยเครื่องไตเทียม (HD)').check();
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('0812223333');
    await page.getByRole('button', { name: 'บันทึกร่าง' }).click();
    const drafts = await page.locator('ul.results').innerText();
    assert.match(drafts, /บันทึกร่างแล้ว: PG0060001/);
    assert.match(drafts, /บันทึกร่างแล้ว: PG0130001/);
    // confirm the haemodialysis draft from its page; the other draft meets the one-per-day rule
    const generalDraft = (await page.locator('ul.results li', { hasText: 'PG0060001' }).getByRole('link').getAttribute('href'))!;
    await page.locator('ul.results li', { hasText: 'PG0130001' }).getByRole('link').click();
    await page.getByRole('button', { name: 'ยืนยันร่างนี้' }).click();
    assert.match(await page.getByRole('status').first().innerText(), /Authen Code HD\d{10}/);
    await page.goto(`${zone.ac.url}${generalDraft}`);
    await page.getByRole('button', { name: 'ยืนยันร่างนี้' }).click();
    assert.match(await page.getByRole('status').first().innerText(), new RegExp(`วันนี้ได้ยืนยันแล้ว ใช้รหัสเดิม ${code}`));

    // card read from this unit's agent over the page's challenge, for UCEP, pasted (no agent runs here)
    const pair = await jose.generateKeyPair('ES256');
    const agent = await registerUnitAgent(zone.ac.db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
    await page.goto(`${zone.ac.url}/staff`);
    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับบริการ').fill(patient.pid);
    await page.getByRole('button', { name: 'ตรวจสอบสิทธิ' }).click();
    await page.getByRole('button', { name: 'อ่านบัตร', exact: true }).waitFor(); // the script runs under the page's CSP
    const nonce = (await page.locator('#card-reader').getAttribute('data-nonce'))!;
    const card = { ...SAMPLE_CARD, pid: patient.pid, title_th: 'นาย', given_name_th: patient.given, family_name_th: 'x', birthdate_be: '25200101', gender: '1' as const };
    const jws = await signCardRead({ key: pair.privateKey as CryptoKey, agentId: agent, hcode: '10699', nonce, card });
    await page.getByLabel('อ่านบัตรประชาชน (เอกสารจากเครื่องอ่านบัตร)').check();
    await page.getByText('ไม่มีเครื่องอ่านบัตร: วางเอกสารการอ่านบัตรเอง').click();
    await page.getByLabel('เอกสารการอ่านบัตร').fill(jws);
    await page.getByLabel(/PG0120001/).check();
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('0812223333');
    await page.getByRole('button', { name: 'ยืนยันและขอ Authen Code' }).click();
    const ucep = (await page.getByRole('status').first().innerText()).match(/EP\d{10}/)![0];

    // find the general-treatment visit, edit its HN with a reason, cancel it with a reason
    await page.getByRole('link', { name: 'ค้นหา/แก้ไข/ยกเลิก' }).click();
    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับบริการ').fill(patient.pid);
    await page.locator('form[method="post"]').getByRole('button', { name: 'ค้นหา' }).click();
    const byPerson = await page.locator('table').innerText();
    for (const c of [code, ucep]) assert.match(byPerson, new RegExp(c));
    assert.match(byPerson, /ร่าง/, "the patient's remaining draft is listed too");
    await page.getByLabel('สถานะ').selectOption('confirmed');
    await page.locator('form[method="get"]').getByRole('button', { name: 'ค้นหา' }).click();
    const table = await page.locator('table').innerText();
    for (const c of [code, ucep]) assert.match(table, new RegExp(c));
    assert.doesNotMatch(table, /ร่าง/, 'confirmed only');
    await page.locator('tr', { hasText: code }).getByRole('link').click();
    await page.getByLabel('HN').fill('HN-43');
    await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /กรุณาระบุเหตุผล/);
    await page.getByLabel('HN').fill('HN-43');
    await page.locator('#reason').fill('พิมพ์ HN ผิด');
    await page.getByRole('button', { name: 'บันทึก', exact: true }).click();
    assert.match(await page.getByRole('status').first().innerText(), /บันทึกการแก้ไขแล้ว/);
    await page.locator('#cancel_reason').fill('ผู้ป่วยไม่ได้รับบริการ');
    await page.getByRole('button', { name: 'ยกเลิกรายการนี้' }).click();
    assert.match(await page.locator('main').innerText(), /ยกเลิกแล้ว \(ผู้ป่วยไม่ได้รับบริการ\)/);
    const { rows } = await zone.ac.db.query("SELECT a.action, a.detail FROM authencode.audit_events a JOIN authencode.visits v ON v.id = a.visit_id WHERE v.claim_code = $1 ORDER BY a.id", [code]);
    assert.deepEqual(rows.map((r) => r.action), ['visit.confirmed', 'visit.edited', 'visit.cancelled']);
    assert.equal(rows[2]!.detail.reason, 'ผู้ป่วยไม่ได้รับบริการ');

    // the unit's QR codes: one per open service, with the code to type
    await page.getByRole('link', { name: 'คิวอาร์โค้ด' }).click();
    assert.equal(await page.locator('.qr-sheet figure svg').count(), 5);
    assert.match(await page.locator('.qr-sheet').innerText(), /10699-0060/);
    const png = await page.request.get(`${zone.ac.url}/staff/qr/PG0060001.png`);
    assert.equal(png.headers()['content-type'], 'image/png');

    // the report: today's confirmed codes, a chart and a CSV; general treatment counts the citizen's
    // two (self and child), not the staff's cancelled one
    await page.getByRole('link', { name: 'รายงาน' }).click();
    const report = await page.locator('table').innerText();
    // each row: the day, the service (its code and name), the count
    assert.match(report, /PG0130001 [^\t\n]*\t1/);
    assert.match(report, /PG0120001 [^\t\n]*\t1/);
    assert.match(report, /PG0060001 [^\t\n]*\t2/);
    const chart = await page.request.get(`${zone.ac.url}${await page.locator('figure.chart img').getAttribute('src')}`);
    assert.match(await chart.text(), /^<svg/);
    const csv = await page.request.get(`${zone.ac.url}${await page.getByRole('link', { name: 'ดาวน์โหลด CSV' }).getAttribute('href')}`);
    assert.match(await csv.text(), /day,hcode,unit_name,claim_type,count\r\n.*10699,.*PG0120001,1/s);
  });

  test("the page's camera scanner reads the unit's QR code and goes on to log in at the service's level", async () => {
    const signer = await loadQrSigner(zone.ac.config.qrKeyFile);
    const video = path.join(tmp, 'camera.y4m');
    await stillVideo(await qrPng(`${zone.ac.url}/q/${await signer.sign('13836', 'PG0130001', 3600)}`, 440), video);
    const camera = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    try {
      const context = await camera.newContext();
      await context.grantPermissions(['camera'], { origin: zone.ac.url });
      const page = await context.newPage();
      await page.goto(`${zone.ac.url}/visit`);
      await page.getByRole('button', { name: 'เปิดกล้องเพื่อสแกน' }).click();
      await page.waitForURL(`${zone.idp.url}/interaction/**`);
      await logInThai(page, CITIZEN.pid, CITIZEN.password);
      await backAtService(page, '/visit/confirm');
      assert.match(await page.locator('main').innerText(), /13836/);
      assert.match(await page.locator('main').innerText(), /ฟอกเลือด/);
    } finally {
      await camera.close();
    }
  });
});
