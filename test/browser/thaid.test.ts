// Proofing from home with ThaID in Chromium, on both databases: a relying party asks for min_ial=2.3; the
// new citizen chooses "register with ThaID" (ลงทะเบียนด้วย ThaID), logs in at the test zone's stand-in
// ThaID, finds the form filled with what ThaID vouches for (not editable), adds and proves a phone and a
// password, and the relying party (openid-client) receives verified_claims naming DOPA's digital ID.
// Then an existing account whose given name differs is refused the level, in English, with what differed;
// and, with THAID_LOGIN on, the citizen registered with ThaID logs in with ThaID alone (AAL 1, amr fed).
// Every page of ours passes checkPage (the stand-in's page is DOPA's, outside this service).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { dbTargets } from '../helpers/db.ts';
import { addClient, TEST_PERSON } from '../helpers/server.ts';
import { catchRedirect, launchBrowser, logInThai, smsCode } from '../helpers/browser.ts';
import { checkPage, watchPage } from '../helpers/page_checks.ts';
import { startWithThaid, type WithThaid } from '../helpers/thaid.ts';
import { syntheticPeople } from '../../src/kernel/registry/synthetic_population.ts';
import { fromBuddhistDate } from '../../src/kernel/thai/dates.ts';
import { accountIal } from '../../src/idp/proofing/ial.ts';
import { ROMAN } from '../../src/idp/upstream/stand_in/names.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
const valid = [...syntheticPeople(2000, 2569)].filter((p) => p.cardStatus === 'valid');

for (const [i, target] of dbTargets().entries()) {
  describe(`ThaID in the browser on ${target.name}`, () => {
    let t: WithThaid;
    let browser: Browser;
    let rp: oidc.Configuration;
    const newcomer = valid[120 + i * 2]!;
    const existing = valid[121 + i * 2]!;

    before(async () => {
      t = await startWithThaid(target, { env: { THAID_LOGIN: 'true' } });
      browser = await launchBrowser();
      const client = await addClient(t.server, { client_name: 'Mor Prom app', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid profile verified_claims' });
      rp = await oidc.discovery(new URL(t.server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(async () => {
      await browser?.close();
      await t?.stop();
    });

    test('register with ThaID on the way to a relying party that needs IAL 2.3', async () => {
      const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      const watched = watchPage(page);
      const callback = await catchRedirect(context, REDIRECT);
      const verifier = oidc.randomPKCECodeVerifier();
      await page.goto(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid verified_claims', state: 's', min_ial: '2.3', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString());
      await page.getByRole('link', { name: 'สมัครใช้งาน' }).click();
      await page.getByRole('heading', { name: 'ลงทะเบียนด้วย ThaID' }).waitFor();
      await checkPage(page, { lang: 'th', watched });
      await page.getByRole('button', { name: 'ลงทะเบียนด้วย ThaID' }).click();

      // the stand-in ThaID (DOPA's, outside this service): the tester types the ID number
      await page.getByLabel('เลขประจำตัวประชาชน / National ID number').fill(newcomer.pid);
      await page.getByRole('button', { name: 'เข้าสู่ระบบด้วย ThaID (จำลอง)' }).click();

      // back here: the form filled with what ThaID vouches for, shown and not editable
      await page.getByRole('heading', { name: 'ข้อมูลที่ ThaID ยืนยัน' }).waitFor();
      const vouched = page.locator('dl.vouched');
      for (const text of [newcomer.pid, newcomer.givenName, newcomer.familyName, ROMAN[newcomer.givenName]!]) await vouched.getByText(text, { exact: true }).waitFor();
      await vouched.getByText(String(Number(newcomer.birthdateBE.slice(0, 4))), { exact: false }).waitFor(); // Buddhist-era year
      assert.equal(await page.getByLabel('เลขประจำตัวประชาชน').count(), 0, 'no field for the ID number');
      assert.equal(await page.getByLabel('ชื่อ (ภาษาไทย)').count(), 0, 'no field for the names');
      await checkPage(page, { lang: 'th', watched });
      await page.getByLabel('หมายเลขโทรศัพท์มือถือ').fill('0871239876');
      await page.getByLabel('ตั้งรหัสผ่าน').fill('green mango sticky rice');
      await page.getByLabel('ยืนยันรหัสผ่าน').fill('green mango sticky rice');
      await page.getByLabel('ข้าพเจ้าได้อ่านและยอมรับ').check();
      await page.getByRole('button', { name: 'สมัครและรับรหัสยืนยันทาง SMS' }).click();
      await page.getByLabel('รหัสยืนยัน 6 หลัก').fill(await smsCode(t.server.url, '+66871239876'));
      await checkPage(page, { lang: 'th', watched });
      await page.getByRole('button', { name: 'ยืนยัน' }).click();

      // registered, logged in, at IAL 2.3: straight to the relying party's consent
      await page.getByRole('status').filter({ hasText: 'สมัครใช้งานเรียบร้อย' }).waitFor();
      await checkPage(page, { lang: 'th', watched });
      await page.getByRole('button', { name: 'อนุญาต', exact: true }).click();
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(await callback()), { expectedState: 's', pkceCodeVerifier: verifier, idTokenExpected: true });
      const account = (await t.server.app().accounts.findByPid(newcomer.pid))!;
      assert.equal(account.birthdate, fromBuddhistDate(newcomer.birthdateBE));
      assert.equal(await accountIal(t.server.db, account.sub), '2.3');
      const info = await oidc.fetchUserInfo(rp, tokens.access_token, account.sub);
      const verification = (info.verified_claims as { verification: { trust_framework: string; assurance_level: string; evidence: Array<{ type: string; record?: { type: string; source: { name: string } }; th_digital_id?: { assurance_level: string } }> } }).verification;
      assert.equal(verification.trust_framework, 'th_etda_digital_id');
      assert.equal(verification.assurance_level, '2.3');
      const dopa = verification.evidence.find((e) => e.record?.type === 'th_dopa_digital_id');
      assert.equal(dopa?.type, 'electronic_record');
      assert.match(dopa!.record!.source.name, /Department of Provincial Administration, ThaID/);
      assert.equal(dopa!.th_digital_id!.assurance_level, '2.3');
      await context.close();
    });

    test('an existing account whose given name differs is refused the level, in English, saying what differed', async () => {
      const { sub } = await t.server.app().accounts.create({ ...TEST_PERSON, pid: existing.pid, given_name: 'มานพ', family_name: existing.familyName, given_name_en: undefined, family_name_en: undefined, birthdate: fromBuddhistDate(existing.birthdateBE), phone_number: '0871230001', phone_verified: true });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const watched = watchPage(page);
      await page.goto(`${t.server.url}/account/verify`);
      await logInThai(page, existing.pid, TEST_PERSON.password);
      await page.getByRole('link', { name: 'English' }).first().click();
      await page.getByRole('button', { name: 'Verify with ThaID' }).click();
      await page.getByLabel('เลขประจำตัวประชาชน / National ID number').fill(existing.pid);
      await page.getByRole('button', { name: 'เข้าสู่ระบบด้วย ThaID (จำลอง)' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'The details from ThaID do not match your account: given name (Thai) differ' });
      await summary.first().waitFor();
      await checkPage(page, { lang: 'en', watched });
      assert.equal(await accountIal(t.server.db, sub), '1.1', 'nothing granted');
      await context.close();
    });

    test('the citizen registered with ThaID above logs in with ThaID alone', async () => {
      const account = (await t.server.app().accounts.findByPid(newcomer.pid))!;
      assert.ok(account, 'registered by the first test');
      const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      const watched = watchPage(page);
      const callback = await catchRedirect(context, REDIRECT);
      const verifier = oidc.randomPKCECodeVerifier();
      await page.goto(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid verified_claims', state: 's2', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString());
      const withThaid = page.getByRole('button', { name: 'เข้าสู่ระบบด้วย ThaID', exact: true });
      await withThaid.waitFor();
      await checkPage(page, { lang: 'th', watched });
      await withThaid.click();
      await page.getByLabel('เลขประจำตัวประชาชน / National ID number').fill(newcomer.pid);
      await page.getByRole('button', { name: 'เข้าสู่ระบบด้วย ThaID (จำลอง)' }).click();
      // allowed in the first test: straight back to the relying party
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(await callback()), { expectedState: 's2', pkceCodeVerifier: verifier, idTokenExpected: true });
      assert.equal(tokens.claims()!.sub, account.sub);
      assert.equal(tokens.claims()!.acr, 'urn:th:etda:aal:1');
      assert.deepEqual(tokens.claims()!.amr, ['fed']);
      await context.close();
    });
  });
}
