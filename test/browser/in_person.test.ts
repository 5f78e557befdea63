// In-person verification in the browser: the verifier (AAL 2.1 by SMS) finds the person with a reason;
// the page loads with no CSP violation, and "Read card" with no agent running says so in Thai; the
// verifier pastes the unit card reader's document signed over the page's challenge, confirms card
// status and face → the citizen, in another browser, logs in to a relying party that asks
// min_ial=2.3 and gets ial 2.3.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { addClient, freePort, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../helpers/server.ts';
import { catchRedirect, launchBrowser, smsCode, logInThai } from '../helpers/browser.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { cardOf, signCardRead } from '../helpers/card_read.ts';
import { th as cardReaderTexts } from '../../src/kernel/web/card_reader/messages.ts';
import { registerCardAgent as registerAgent } from '../../src/idp/proofing/card_agents.ts';

const REDIRECT = 'https://rp.example.test/cb';
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000001'), given_name: 'บุญมี', family_name: 'ทองดี', birthdate: '1970-01-15', phone_number: '0861230000', phone_verified: true };

describe('in-person verification in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let cardRead: (nonce: string) => Promise<string>;
  let rp: oidc.Configuration;

  before(async () => {
    // a port nothing listens on: the card reader agent is not running
    server = await startTestServer(await openPglite(), { CARD_AGENT_URL: `http://127.0.0.1:${await freePort()}` });
    browser = await launchBrowser();
    await seedVerifierAtUnit(server, { servicePoint: true });
    const { accounts } = server.app();
    await accounts.create(CITIZEN);
    const pair = await jose.generateKeyPair('ES256');
    const agentId = await registerAgent(server.db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
    cardRead = (nonce) => signCardRead({ key: pair.privateKey as CryptoKey, agentId, hcode: '10699', nonce, card: cardOf(CITIZEN, { title_th: 'นาย', gender: '1' }) });
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
    const violations: string[] = [];
    verifier.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await verifier.goto(`${server.url}/verifier`);
    await logIn(verifier, TEST_PERSON.pid);
    await verifier.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
    await verifier.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(server.url, '+66812345678'));
    await verifier.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
    await verifier.getByLabel('เลขประจำตัวประชาชน').fill(CITIZEN.pid);
    await verifier.getByLabel('เหตุผลในการค้นหา (บันทึกไว้)').fill('ยืนยันตัวตนที่เคาน์เตอร์');
    await verifier.getByRole('button', { name: 'ค้นหา' }).click();
    await verifier.getByText('บุญมี ทองดี', { exact: true }).waitFor();

    // the card reader agent is not running on this computer: the button says so, in Thai
    await verifier.getByRole('button', { name: 'อ่านบัตร', exact: true }).click();
    await verifier.getByRole('alert').filter({ hasText: cardReaderTexts.cardReadAgentDown }).waitFor();
    assert.equal(await verifier.locator('#card_read_document').inputValue(), '', 'nothing is filled in');
    assert.deepEqual(violations, [], 'no CSP violation: the script, its data block and the call to the agent are all allowed');

    // the fallback: a document pasted, signed over this page's challenge
    const nonce = (await verifier.locator('#card-reader').getAttribute('data-nonce'))!;
    await verifier.getByText(cardReaderTexts.cardReadPaste).click();
    await verifier.getByLabel('เอกสารการอ่านบัตร (จากเครื่องอ่านบัตรของหน่วยบริการ)').fill(await cardRead(nonce));
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
