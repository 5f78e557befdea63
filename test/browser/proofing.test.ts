// Remote proofing in the browser, the citizen and the verifier in two browser contexts: the citizen
// checks their card with the register (IAL 1.2) and uploads a photo with their card; the verifier
// (logged in at AAL 2.1 with an SMS code) sees both photos in the unit's queue and approves with a
// reason; the citizen sees the outcome and is at IAL 2.1. The citizen's page reads as steps (checked
// at 375 px: no sideways scrolling, axe-core, the Thai font).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { facePhoto } from '../helpers/faces.ts';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startTestServer, TEST_PERSON } from '../helpers/server.ts';
import { launchBrowser, smsCode, logInThai } from '../helpers/browser.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { printedLaserCode, syntheticPeople } from '../../src/kernel/registry/synthetic_population.ts';
import { accountIal } from '../../src/idp/proofing/ial.ts';
import { checkPage, watchPage } from '../helpers/page_checks.ts';

// a person of the test zone's synthetic register (2000 people, seed 2569)
const citizen = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid')[3]!;
const birthdate = `${Number(citizen.birthdateBE.slice(0, 4)) - 543}-${citizen.birthdateBE.slice(4, 6)}-${citizen.birthdateBE.slice(6)}`;

describe('remote proofing in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let citizenSub: string;

  before(async () => {
    server = await startTestServer(await openPglite());
    browser = await launchBrowser();
    await seedVerifierAtUnit(server, { servicePoint: true });
    const { accounts } = server.app();
    citizenSub = (await accounts.create({ ...TEST_PERSON, pid: citizen.pid, given_name: citizen.givenName, family_name: citizen.familyName, birthdate, phone_number: '0869991111', phone_verified: true })).sub;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await server?.db.close();
  });

  const logIn = (page: Page, pid: string) => logInThai(page, pid, TEST_PERSON.password);

  test('register check, photo upload, review by a verifier in another browser, outcome seen', async () => {
    const citizenPage = await (await browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    const watched = watchPage(citizenPage);
    await citizenPage.goto(`${server.url}/account/verify`);
    await logIn(citizenPage, citizen.pid);
    // the steps: the register check is next, the photo waits for it, the service points are listed
    await citizenPage.getByRole('link', { name: 'ขั้นต่อไปของคุณ: ขั้นที่ 2: ตรวจสอบข้อมูลกับทะเบียนราษฎร' }).waitFor();
    await citizenPage.getByRole('heading', { name: 'จุดบริการ Digital ID' }).waitFor();
    assert.equal(await citizenPage.getByLabel('ภาพใบหน้าคู่กับบัตร').count(), 0, 'the photo waits for the register check');
    await checkPage(citizenPage, { lang: 'th', watched });
    await citizenPage.getByLabel('รหัสหลังบัตร (Laser ID)').fill(printedLaserCode(citizen.laserCode));
    await citizenPage.getByRole('button', { name: 'ตรวจสอบ', exact: true }).click();
    await citizenPage.getByRole('status').filter({ hasText: 'ตรวจสอบสำเร็จ' }).first().waitFor();
    await citizenPage.locator('#step-register_check.step-done').getByRole('heading', { name: 'ขั้นที่ 2: ตรวจสอบข้อมูลกับทะเบียนราษฎร' }).waitFor();
    await checkPage(citizenPage, { lang: 'th', watched });

    // real faces: the in-server face comparison refuses a photo without one before any review
    const face = facePhoto('p1_with_card');
    const card = await sharp(facePhoto('p1_card_front')).png().toBuffer();
    await citizenPage.getByLabel('ภาพใบหน้าคู่กับบัตร').setInputFiles({ name: 'face.jpg', mimeType: 'image/jpeg', buffer: face });
    await citizenPage.getByLabel('ภาพด้านหน้าบัตร').setInputFiles({ name: 'card.png', mimeType: 'image/png', buffer: card });
    await citizenPage.getByLabel('หน่วยบริการที่ตรวจสอบ').selectOption('10699');
    await citizenPage.getByRole('button', { name: 'ส่งภาพถ่ายเพื่อตรวจสอบ' }).click();
    await citizenPage.getByRole('status').filter({ hasText: 'ส่งภาพถ่ายแล้ว' }).waitFor();

    const verifierPage = await (await browser.newContext()).newPage();
    await verifierPage.goto(`${server.url}/verifier`);
    await logIn(verifierPage, TEST_PERSON.pid);
    await verifierPage.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
    await verifierPage.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(server.url, '+66812345678'));
    await verifierPage.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
    await verifierPage.getByText('หน่วยบริการ: โรงพยาบาลสมเด็จพระยุพราชสระแก้ว (10699)').waitFor();
    await verifierPage.goto(`${server.url}/verifier/queue`);
    const faceImg = verifierPage.getByRole('img', { name: new RegExp(`ภาพใบหน้าคู่กับบัตรของ .*${citizen.givenName}`) });
    await faceImg.waitFor();
    assert.ok(await faceImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the photo is shown');
    await verifierPage.screenshot({ path: path.join(os.tmpdir(), 'mpid-review-queue.png'), fullPage: true });
    await verifierPage.getByLabel('เหตุผล (ผู้ยื่นจะเห็น)').fill('ใบหน้าและบัตรตรงกัน');
    await verifierPage.getByRole('button', { name: 'อนุมัติ', exact: true }).click();
    await verifierPage.getByRole('status').filter({ hasText: 'อนุมัติแล้ว' }).waitFor();

    await citizenPage.reload();
    await citizenPage.locator('#step-photo_with_card.step-done').getByRole('heading', { name: 'ขั้นที่ 3: ส่งภาพถ่ายคู่กับบัตรให้เจ้าหน้าที่ตรวจ' }).waitFor();
    await citizenPage.locator('#step-photo_with_card summary').click();
    await citizenPage.getByText('ภาพถ่ายของคุณผ่านการตรวจสอบแล้ว').waitFor();
    await citizenPage.getByRole('link', { name: 'ขั้นต่อไปของคุณ: ขั้นที่ 4: ยืนยันตัวตนต่อหน้าเจ้าหน้าที่ที่จุดบริการ' }).waitFor();
    await checkPage(citizenPage, { lang: 'th', watched });
    assert.equal(await accountIal(server.db, citizenSub), '2.1');
  });
});
