// In-person verification in the browser: the verifier (AAL 2.1 by SMS) finds the person with a reason,
// pastes the unit card reader's signed document, confirms card status and face → the citizen, in
// another browser, logs in to a relying party that asks min_ial=2.3 and gets ial 2.3.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../helpers/server.ts';
import { catchRedirect, launchBrowser, smsCode, logInThai } from '../helpers/browser.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { CARD_READ_TYP } from '../../src/kernel/card_read/index.ts';
import { registerCardAgent as registerAgent } from '../../src/idp/proofing/card_agents.ts';

const REDIRECT = 'https://rp.example.test/cb';
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000001'), given_name: 'บุญมี', family_name: 'ทองดี', birthdate: '1970-01-15', phone_number: '0861230000', phone_verified: true };

describe('in-person verification in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let cardRead: () => Promise<string>;
  let rp: oidc.Configuration;

  before(async () => {
    server = await startTestServer(await openPglite());
    browser = await launchBrowser();
    await seedVerifierAtUnit(server, { servicePoint: true });
    const { accounts } = server.app();
    await accounts.create(CITIZEN);
    const pair = await jose.generateKeyPair('ES256');
    const agentId = await registerAgent(server.db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
    cardRead = () => {
      const now = Math.floor(Date.now() / 1000);
      const card = { pid: CITIZEN.pid, title_th: 'นาย', given_name_th: 'บุญมี', family_name_th: 'ทองดี', birthdate_be: '25130115', gender: '1', issuer: 'อำเภอเมืองสระแก้ว', issue_date_be: '25660101', expiry_date_be: '25740114', chip_photo: 'AAAA' };
      return new jose.CompactSign(new TextEncoder().encode(JSON.stringify({ iss: `agent:${agentId}`, iat: now, exp: now + 120, jti: `r${now}`, hcode: '10699', card })))
        .setProtectedHeader({ alg: 'ES256', typ: CARD_READ_TYP, kid: agentId })
        .sign(pair.privateKey);
    };
    const client = await addClient(server, { client_name: 'Hospital portal', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
    rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await server?.db.close();
  });

  const logIn = (page: Page, pid: string) => logInThai(page, pid, TEST_PERSON.password);

  test('the verifier verifies the person at the counter; the relying party then gets IAL 2.3', async () => {
    const verifier = await (await browser.newContext()).newPage();
    await verifier.goto(`${server.url}/verifier`);
    await logIn(verifier, TEST_PERSON.pid);
    await verifier.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
    await verifier.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(server.url, '+66812345678'));
    await verifier.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
    await verifier.getByLabel('เลขประจำตัวประชาชน').fill(CITIZEN.pid);
    await verifier.getByLabel('เหตุผลในการค้นหา (บันทึกไว้)').fill('ยืนยันตัวตนที่เคาน์เตอร์');
    await verifier.getByRole('button', { name: 'ค้นหา' }).click();
    await verifier.getByText('บุญมี ทองดี', { exact: true }).waitFor();
    await verifier.getByLabel('เอกสารการอ่านบัตร (จากเครื่องอ่านบัตรของหน่วยบริการ)').fill(await cardRead());
    await verifier.getByLabel('ตรวจสอบสถานะบัตรกับกรมการปกครองแล้ว บัตรใช้งานได้').check();
    await verifier.getByLabel('เปรียบเทียบใบหน้าของผู้รับบริการกับรูปถ่ายในชิปบัตรแล้ว ตรงกัน').check();
    await verifier.getByRole('button', { name: 'ยืนยันตัวตน', exact: true }).click();
    await verifier.getByRole('status').filter({ hasText: '2.3' }).waitFor();

    const context = await browser.newContext();
    const callback = await catchRedirect(context, REDIRECT);
    const citizen = await context.newPage();
    await citizen.goto(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 'st', min_ial: '2.3', claims: JSON.stringify({ id_token: { ial: null } }) }).toString());
    await logIn(citizen, CITIZEN.pid);
    await citizen.getByRole('button', { name: 'อนุญาต', exact: true }).click();
    const tokens = await oidc.authorizationCodeGrant(rp, new URL(await callback()), { expectedState: 'st', idTokenExpected: true });
    assert.equal(tokens.claims()!.ial, '2.3');
  });
});
