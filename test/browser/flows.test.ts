// The main flows in a real browser (Debian's Chromium), as a person does them: fields found by their
// labels and buttons by their names. Register → prove the phone → log in through a relying party (Thai);
// set up the authenticator app → step up from AAL 1 to 2.2, and a passkey (English); recovery;
// linking a health personnel record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { addClient, startTestServer, TEST_PERSON, pidWithCheckDigit } from '../helpers/server.ts';
import { addVirtualAuthenticator, catchRedirect, launchBrowser, smsCode } from '../helpers/browser.ts';
import type { RunningServer } from '../../src/idp/server.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
const SAMPLE = path.resolve(import.meta.dirname, '../../samples/personnel.csv');


describe('in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let rp: oidc.Configuration;
  let staffRp: oidc.Configuration;

  before(async () => {
    server = await startTestServer(await openPglite());
    browser = await launchBrowser();
    const client = await addClient(server, { client_name: 'Mor Prom app', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid profile' });
    rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    const staff = await addClient(server, { client_name: 'Hospital system', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid health_personnel' });
    staffRp = await oidc.discovery(new URL(server.url), staff.client_id, staff.client_secret, undefined, insecure);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await server?.db.close();
  });

  async function session(): Promise<{ context: BrowserContext; page: Page; callback: () => Promise<string> }> {
    const context = await browser.newContext();
    const callback = await catchRedirect(context, REDIRECT);
    return { context, page: await context.newPage(), callback };
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(os.tmpdir(), `mpid-${name}.png`), fullPage: true });
  async function exchange(config: oidc.Configuration, callbackUrl: string) {
    return oidc.authorizationCodeGrant(config, new URL(callbackUrl), { expectedState: 'st', idTokenExpected: true });
  }
  const authUrl = (config: oidc.Configuration, params: Record<string, string> = {}) =>
    oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state: 'st', ...params }).toString();

  test('register in Thai, prove the phone with the SMS code, and be logged in at the relying party (AAL 1)', async () => {
    const { context, page, callback } = await session();
    const pid = pidWithCheckDigit('140990001234');
    await page.goto(authUrl(rp, { scope: 'openid profile' }));
    await page.getByRole('link', { name: 'สมัครใช้งาน' }).click();

    await page.getByLabel('เลขประจำตัวประชาชน').fill('1234567890123');
    await page.getByLabel('ชื่อ (ภาษาไทย)').fill('กมล');
    await page.getByLabel('นามสกุล (ภาษาไทย)').fill('ใจดี');
    await page.getByLabel('วันที่').fill('9');
    await page.getByLabel('เดือน').selectOption({ label: 'สิงหาคม' });
    await page.getByLabel('ปี พ.ศ.').fill('2535');
    await page.getByLabel('หมายเลขโทรศัพท์มือถือ').fill('0871234567');
    await page.getByLabel('ตั้งรหัสผ่าน').fill('1234');
    await page.getByText('ความปลอดภัยของรหัสผ่าน: อ่อนมาก').waitFor();
    await page.getByLabel('ตั้งรหัสผ่าน').fill('green mango sticky rice');
    await page.getByText('ความปลอดภัยของรหัสผ่าน: ดีมาก').waitFor();
    await page.getByLabel('ยืนยันรหัสผ่าน').fill('green mango sticky rice');
    await page.getByLabel('ข้าพเจ้าได้อ่านและยอมรับ').check();
    await page.getByRole('button', { name: 'สมัครและรับรหัสยืนยันทาง SMS' }).click();
    await assert.doesNotReject(page.getByRole('alert').filter({ hasText: 'เลขตรวจสอบ' }).waitFor(), 'a wrong check digit is announced');
    assert.equal(await server.app().accounts.findByPid('1234567890123'), undefined);

    await page.getByLabel('เลขประจำตัวประชาชน').fill(pid);
    await page.getByLabel('ตั้งรหัสผ่าน').fill('green mango sticky rice');
    await page.getByLabel('ยืนยันรหัสผ่าน').fill('green mango sticky rice');
    await page.getByRole('button', { name: 'สมัครและรับรหัสยืนยันทาง SMS' }).click();
    await page.getByLabel('รหัสยืนยัน 6 หลัก').fill(await smsCode(server.url, '+66871234567'));
    await page.getByRole('button', { name: 'ยืนยัน' }).click();
    // registered and logged in at once: straight to the relying party's consent, no password again
    await page.getByRole('status').filter({ hasText: 'สมัครใช้งานเรียบร้อย' }).waitFor();
    assert.equal(await page.getByLabel('รหัสผ่าน').count(), 0, 'no "log in to continue" form');
    await shot(page, 'registered');
    assert.ok(await page.getByText('ชื่อ นามสกุล และวันเกิด').isVisible(), 'the consent list in words');
    await page.getByRole('button', { name: 'อนุญาต', exact: true }).click();
    const claims = (await exchange(rp, await callback())).claims()!;
    assert.equal(claims.acr, 'urn:th:etda:aal:1');
    const account = (await server.app().accounts.findByPid(pid))!;
    assert.equal(claims.sub, account.sub);
    assert.equal(account.birthdate, '1992-08-09');
    await context.close();
  });

  test('set up the authenticator app in English, then a relying party steps the session up to AAL 2.2; a passkey logs in too', async () => {
    const pid = pidWithCheckDigit('140990005678');
    await server.app().accounts.create({ ...TEST_PERSON, pid, phone_number: '0871112222', phone_verified: true });
    const { context, page, callback } = await session();
    await page.goto(`${server.url}/account/login?lang=en`);
    await page.getByLabel('National ID number').fill(pid);
    await page.getByLabel('Password').fill(TEST_PERSON.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
    assert.ok(await page.getByRole('img', { name: 'QR code to set up the authenticator app' }).isVisible());
    const key = (await page.getByLabel('Setup key').textContent())!.replace(/\s/g, '');
    await page.getByLabel('6-digit code from the app').fill(await generate({ secret: key }));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Your authenticator app is set up' }).waitFor();

    await page.goto(authUrl(rp, { acr_values: 'urn:th:etda:aal:2.2', ui_locales: 'en' }));
    assert.equal(await page.getByLabel('Password').count(), 0, 'the AAL 1 session is kept: no password again');
    await page.getByLabel('6-digit code from your authenticator app').fill(await generate({ secret: key, epoch: Date.now() / 1000 + 30 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    const claims = (await exchange(rp, await callback())).claims()!;
    assert.equal(claims.acr, 'urn:th:etda:aal:2.2');
    assert.ok((claims.amr as string[]).includes('otp'));
    await page.waitForURL(`${REDIRECT}**`); // the redirect has landed before the next navigation

    await addVirtualAuthenticator(page);
    await page.goto(`${server.url}/account/security`);
    await page.getByLabel('Name for the new passkey').fill('Test phone');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('status').filter({ hasText: 'The passkey is added' }).waitFor();
    await shot(page, 'security');
    await page.goto(authUrl(rp, { prompt: 'login', acr_values: 'urn:th:etda:aal:2.2', ui_locales: 'en' }));
    await page.getByRole('button', { name: 'Log in with a passkey' }).click();
    await page.getByRole('button', { name: 'Allow', exact: true }).or(page.getByText('back at the relying party')).first().waitFor();
    if (await page.getByRole('button', { name: 'Allow', exact: true }).count()) await page.getByRole('button', { name: 'Allow', exact: true }).click();
    const byPasskey = (await exchange(rp, await callback())).claims()!;
    assert.equal(byPasskey.acr, 'urn:th:etda:aal:2.2');
    assert.ok((byPasskey.amr as string[]).some((m) => m === 'hwk' || m === 'swk'));
    await context.close();
  });

  test('recover the account with the ID number, birth date and an SMS code, then log in with the new password', async () => {
    const pid = pidWithCheckDigit('140990009999');
    await server.app().accounts.create({ ...TEST_PERSON, pid, phone_number: '0873334444', phone_verified: true });
    const { context, page, callback } = await session();
    await page.goto(authUrl(rp));
    await page.getByRole('link', { name: 'ลืมรหัสผ่าน' }).click();
    await page.getByLabel('เลขประจำตัวประชาชน').fill(pid);
    await page.getByLabel('วันที่').fill('14');
    await page.getByLabel('เดือน').selectOption({ label: 'มีนาคม' });
    await page.getByLabel('ปี พ.ศ.').fill('2528');
    await page.getByRole('button', { name: 'ส่งรหัสยืนยัน' }).click();
    await page.getByLabel('รหัสยืนยัน 6 หลัก').fill(await smsCode(server.url, '+66873334444'));
    await page.getByRole('button', { name: 'ยืนยัน' }).click();
    await page.getByLabel('ตั้งรหัสผ่าน').fill('password');
    await page.getByLabel('ยืนยันรหัสผ่าน').fill('password');
    await page.getByRole('button', { name: 'บันทึกรหัสผ่านใหม่' }).click();
    await page.getByRole('alert').filter({ hasText: 'เดาได้ง่าย' }).waitFor();
    await page.getByLabel('ตั้งรหัสผ่าน').fill('new dawn over the river');
    await page.getByLabel('ยืนยันรหัสผ่าน').fill('new dawn over the river');
    await page.getByRole('button', { name: 'บันทึกรหัสผ่านใหม่' }).click();
    await shot(page, 'recovered');
    await page.getByRole('link', { name: 'เข้าสู่ระบบ' }).click();
    await page.getByLabel('เลขประจำตัวประชาชน').fill(pid);
    await page.getByLabel('รหัสผ่าน').fill('new dawn over the river');
    await page.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
    await page.getByRole('button', { name: 'อนุญาต', exact: true }).click();
    assert.equal((await exchange(rp, await callback())).claims()!.acr, 'urn:th:etda:aal:1');
    assert.equal(await server.app().accounts.verifyPassword(pid, TEST_PERSON.password), undefined, 'the old password no longer works');
    await context.close();
  });

  test('a member of staff links their personnel record; the hospital system receives health_personnel', async () => {
    await server.app().personnel.importFile(SAMPLE);
    await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
    const { context, page, callback } = await session();
    await page.goto(`${server.url}/account/personnel`);
    await page.getByLabel('เลขประจำตัวประชาชน').fill(TEST_PERSON.pid);
    await page.getByLabel('รหัสผ่าน').fill(TEST_PERSON.password);
    await page.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
    await page.getByRole('button', { name: 'เชื่อมข้อมูลบุคลากร' }).click();
    await page.getByRole('status').filter({ hasText: 'เชื่อมข้อมูลบุคลากรแล้ว' }).waitFor();
    assert.ok(await page.getByText('โรงพยาบาลวัฒนานคร').isVisible());
    await shot(page, 'personnel');
    await page.goto(authUrl(staffRp, { scope: 'openid health_personnel' }));
    await page.getByRole('button', { name: 'อนุญาต', exact: true }).click();
    const tokens = await exchange(staffRp, await callback());
    const info = await oidc.fetchUserInfo(staffRp, tokens.access_token, tokens.claims()!.sub);
    const hp = info.health_personnel as { provider_id: string; organizations: Array<{ hcode: string }> };
    assert.ok(hp.provider_id);
    assert.deepEqual(hp.organizations.map((o) => o.hcode), ['10699', '13836']);
    await context.close();
  });
});
