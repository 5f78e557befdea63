// The Authen Code pages as people see them in Chromium (issue 13): the staff confirm page at 1280 px and
// the citizen's pages at 375 px fit the window (no horizontal scrolling), give dates in the Buddhist era
// on Thai pages, show only the chosen method's fields, report every error in one pass, and show the
// code large with a copy button that puts it on the clipboard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { launchBrowser, logInThai, smsCode } from '../helpers/browser.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';
import { thaiDay } from '../../src/kernel/thai/time.ts';

const fixture = (name: string) => `${import.meta.dirname}/../../samples/${name}`;
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000013'), given_name: 'มานี', family_name: 'ใจดี', birthdate: '1980-05-05', phone_number: '0861234500', phone_verified: true };

describe('Authen Code pages in the browser: fit, dates, errors, the code', () => {
  let zone: Zone;
  let browser: Browser;
  let patientPid: string;
  let beYear: string;

  before(async () => {
    zone = await startZone(await openPglite());
    browser = await launchBrowser();
    const { accounts, personnel, units } = zone.idp.app();
    await units.importFile(fixture('units.csv'));
    await personnel.importFile(fixture('personnel.csv'));
    const staff = await accounts.create({ ...TEST_PERSON, phone_verified: true });
    await personnel.link((await accounts.findBySub(staff.sub))!);
    const { sub } = await accounts.create(CITIZEN);
    await zone.idp.db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
    patientPid = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n')[1]!.split(',')[0]!;
    beYear = String(Number(thaiDay(new Date(zone.now())).slice(0, 4)) + 543);
  });
  after(async () => {
    await browser?.close();
    await zone?.close();
    await zone?.idp.db.close();
  });

  /** At the IdP after a login: allow the service when asked, until back at the service. */
  async function backAtService(page: Page, pathname: string) {
    const allow = page.getByRole('button', { name: 'อนุญาต', exact: true });
    const back = page.waitForURL(`${zone.ac.url}${pathname}`);
    if (await Promise.race([back.then(() => false), allow.waitFor().then(() => true)])) await allow.click();
    await back;
  }
  async function fits(page: Page, what: string) {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${what}: ${scroll} px wide in a ${inner} px window`);
  }
  const visible = (page: Page, id: string) => page.locator(`#${id}`).isVisible();

  test('staff at 1280 px: one method at a time, every error at once, the code large and copied, Buddhist-era dates', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: zone.ac.url });
    const page = await context.newPage();
    await page.goto(`${zone.ac.url}/staff`);
    await logInThai(page, TEST_PERSON.pid, TEST_PERSON.password);
    await page.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
    await page.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(zone.idp.url, '+66812345678'));
    await page.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
    await backAtService(page, '/staff');
    await page.getByLabel('เลือกหน่วยบริการที่ปฏิบัติงาน').selectOption('10699');
    await page.getByRole('button', { name: 'เลือก' }).click();
    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับบริการ').fill(patientPid);
    await page.getByRole('button', { name: 'ตรวจสอบสิทธิ' }).click();
    await fits(page, 'the confirm page');

    // the card read is chosen first: only its section shows; switching shows only the chosen one
    assert.equal(await visible(page, 'method-card-fields'), true);
    assert.equal(await visible(page, 'method-photo-fields'), false);
    assert.equal(await visible(page, 'method-certification-fields'), false);
    await page.getByLabel('รับรองโดยผู้รับรอง (ไม่ได้ใช้บัตรของผู้รับบริการ)').check();
    assert.deepEqual(await Promise.all(['method-card-fields', 'method-photo-fields', 'method-certification-fields'].map((id) => visible(page, id))), [false, false, true]);
    await page.getByLabel('ถ่ายภาพผู้รับบริการคู่กับบัตรประชาชน').check();
    // the photo is compared with the chip photo when the card is read too: the reader's section shows with it
    assert.deepEqual(await Promise.all(['method-card-fields', 'method-photo-fields', 'method-certification-fields'].map((id) => visible(page, id))), [true, true, false]);
    // a file that cannot be used is named at once, with why
    await page.getByLabel('ภาพผู้รับบริการคู่กับบัตร', { exact: true }).setInputFiles({ name: 'IMG_0042.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    assert.equal(await page.locator('#photo-check').innerText(), 'ไฟล์ IMG_0042.gif ไม่ใช่ภาพ JPEG หรือ PNG');
    await page.getByLabel('ภาพผู้รับบริการคู่กับบัตร', { exact: true }).setInputFiles({ name: 'big.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(6 * 1024 * 1024) });
    assert.equal(await page.locator('#photo-check').innerText(), 'ไฟล์ big.jpg มีขนาด 6 MB เกินกำหนด 5 MB');
    await page.getByLabel('ภาพผู้รับบริการคู่กับบัตร', { exact: true }).setInputFiles([]);
    await page.getByLabel('รับรองโดยผู้รับรอง (ไม่ได้ใช้บัตรของผู้รับบริการ)').check();

    // nothing filled: every error in one pass, the summary has the focus
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('12');
    await page.getByRole('button', { name: 'ยืนยันและขอ Authen Code' }).click();
    const summary = page.locator('#form-error');
    await summary.waitFor();
    const items = await summary.locator('li').allInnerTexts();
    for (const label of ['เลขประจำตัวประชาชนของผู้รับรอง', 'ชื่อ-สกุลผู้รับรอง', 'ความสัมพันธ์ของผู้รับรอง', 'เหตุผลที่ไม่ได้ใช้บัตรของผู้รับบริการ', 'ประเภทบริการ', 'เบอร์โทรศัพท์มือถือ']) {
      assert.ok(items.some((i) => i.startsWith(label)), `${label} in ${JSON.stringify(items)}`);
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error', 'focus on the error summary');
    assert.equal(await visible(page, 'method-certification-fields'), true, 'the chosen method is kept');
    assert.equal(await visible(page, 'method-card-fields'), false);
    await fits(page, 'the confirm page with its errors');

    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับรอง').fill(CITIZEN.pid);
    await page.getByLabel('ชื่อ-สกุลผู้รับรอง').fill('มานี ใจดี');
    await page.getByLabel('ความสัมพันธ์ของผู้รับรอง').selectOption('guardian');
    await page.getByLabel('เหตุผลที่ไม่ได้ใช้บัตรของผู้รับบริการ').fill('ผู้ป่วยเด็ก ไม่มีบัตร');
    await page.getByLabel('PG0060001 เข้ารับบริการรักษาทั่วไป (OPD/ IPD/ PP)').check();
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('0812223333');
    await page.getByRole('button', { name: 'ยืนยันและขอ Authen Code' }).click();

    // the code, large, and a copy button that works
    const big = page.locator('.authen-code').first();
    const code = (await big.innerText()).trim();
    assert.match(code, /^PP\d{10}$/);
    const size = await big.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 30, `the code is large (${size} px)`);
    await page.getByRole('button', { name: 'คัดลอกรหัส' }).click();
    await page.getByText('คัดลอกรหัสแล้ว').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
    await fits(page, 'the result page');

    // the visit: Thai time, Buddhist era, the method in words
    await page.getByRole('link', { name: 'รายละเอียด' }).first().click();
    const detail = await page.locator('main').innerText();
    assert.ok(detail.includes(beYear), `a Buddhist-era year (${beYear}) in ${detail}`);
    assert.match(detail, /\d{2}:\d{2} น\./);
    assert.match(detail, /ผู้รับรองยืนยันตัวตนให้/);
    assert.doesNotMatch(detail, /certification/);

    for (const path of ['/staff/visits?day=&claim_type=&hn=&status=', '/staff/reports', '/staff/qr']) {
      await page.goto(`${zone.ac.url}${path}`);
      await fits(page, path);
      const text = await page.locator('main').innerText();
      // the QR codes' validity may end next year
      assert.ok(path === '/staff/qr' ? /\s25\d\d\b/.test(text) : text.includes(beYear), `${path}: a Buddhist-era date`);
      assert.doesNotMatch(text, /\b20\d\d-\d\d-\d\d\b/, `${path}: no ISO date`);
    }
    await context.close();
  });

  test('a citizen at 375 px: every page fits, the code is copied, the history stacks with Buddhist-era dates', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: zone.ac.url });
    const page = await context.newPage();
    await page.goto(`${zone.ac.url}/visit`);
    await fits(page, '/visit');
    await page.getByLabel('รหัสหน่วยบริการ', { exact: false }).fill('99999-0060');
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    assert.match(await page.locator('#form-error').innerText(), /ไม่รู้จักรหัสหน่วยบริการ 99999-0060/);
    await fits(page, '/visit with an error');
    await page.getByLabel('รหัสหน่วยบริการ', { exact: false }).fill('10699-0060');
    await page.getByRole('button', { name: 'ถัดไป' }).click();
    await logInThai(page, CITIZEN.pid, CITIZEN.password);
    await backAtService(page, '/visit/confirm');
    await fits(page, '/visit/confirm');
    await page.getByRole('button', { name: 'ยืนยันและรับ Authen Code' }).click();
    const code = (await page.locator('.authen-code').innerText()).trim();
    assert.match(code, /^PP\d{10}$/);
    assert.ok((await page.locator('main').innerText()).includes(beYear), 'the service date in the Buddhist era');
    await fits(page, 'the code');
    await page.getByRole('button', { name: 'คัดลอกรหัส' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);

    await page.getByRole('link', { name: 'ประวัติ Authen Code ของฉัน' }).click();
    await fits(page, '/visit/history');
    const history = await page.locator('main').innerText();
    assert.ok(history.includes(code));
    assert.ok(history.includes(beYear), 'history dates in the Buddhist era');
    const stacked = await page.locator('table.stack td').first().evaluate((td) => getComputedStyle(td).display);
    assert.equal(stacked, 'block', 'on a phone each row stacks');

    await page.goto(`${zone.ac.url}/visit/history?lang=en`);
    await fits(page, '/visit/history in English');
    const english = await page.locator('main').innerText();
    assert.ok(english.includes(String(Number(beYear) - 543)) && !english.includes(beYear), 'English pages: the common era');
    await context.close();
  });
});
