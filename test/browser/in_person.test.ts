// In-person verification in the browser: the verifier (AAL 2.1 by SMS) finds the person with a reason;
// the page loads with no CSP violation, "Read card" with no agent running says so in Thai, and so does
// "Capture face" on a PC without a camera (the evidence then says the face was compared by eye); the
// verifier pastes the unit card reader's document signed over the page's challenge, confirms card
// status and face → the citizen, in another browser, logs in to a relying party that asks
// min_ial=2.3 and gets ial 2.3. With Chromium's fake camera playing a face fixture, "Capture face"
// takes a still, the server compares it with the chip photo of the card read (the same person) and
// the score shows beside both pictures; the confirmation records it in the evidence and verified_claims.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
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
import { th as inPersonTexts } from '../../src/idp/proofing/methods/in_person/messages.ts';
import { approvedEvidence } from '../../src/idp/proofing/evidence.ts';
import { verifiedClaims } from '../../src/idp/proofing/verified_claims.ts';
import { chipPhotoOf, facePhoto } from '../helpers/faces.ts';

const REDIRECT = 'https://rp.example.test/cb';
const FACED = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000002'), given_name: 'มานี', family_name: 'ใจดี', birthdate: '1980-05-20', phone_number: '0861230001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000001'), given_name: 'บุญมี', family_name: 'ทองดี', birthdate: '1970-01-15', phone_number: '0861230000', phone_verified: true };

describe('in-person verification in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let cardRead: (nonce: string) => Promise<string>;
  let facedCardRead: (nonce: string) => Promise<string>;
  let tmp: string;
  let verifier: Page | undefined;
  const violations: string[] = [];
  let rp: oidc.Configuration;

  before(async () => {
    // a port nothing listens on: the card reader agent is not running
    server = await startTestServer(await openPglite(), { CARD_AGENT_URL: `http://127.0.0.1:${await freePort()}` });
    // Chromium's fake camera plays an MJPEG file: JPEG frames one after another (p1 at a webcam)
    tmp = mkdtempSync(path.join(tmpdir(), 'mpid-camera-'));
    const frame = await sharp(facePhoto('p1_with_card')).jpeg({ quality: 90 }).toBuffer();
    const video = path.join(tmp, 'face.mjpeg');
    writeFileSync(video, Buffer.concat([frame, frame]));
    browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    await seedVerifierAtUnit(server, { servicePoint: true });
    const { accounts } = server.app();
    await accounts.create(CITIZEN);
    const pair = await jose.generateKeyPair('ES256');
    const agentId = await registerAgent(server.db, { hcode: '10699', jwk: await jose.exportJWK(pair.publicKey), by: 'operator:test' });
    cardRead = (nonce) => signCardRead({ key: pair.privateKey as CryptoKey, agentId, hcode: '10699', nonce, card: cardOf(CITIZEN, { title_th: 'นาย', gender: '1' }) });
    // p1's portrait from the mock card front, padded as a chip photo is (a different picture from the camera's)
    const chip = await chipPhotoOf('p1_card_front');
    await accounts.create(FACED);
    facedCardRead = (nonce) => signCardRead({ key: pair.privateKey as CryptoKey, agentId, hcode: '10699', nonce, card: cardOf(FACED, { chip_photo: chip }) });
    const client = await addClient(server, { client_name: 'Hospital portal', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
    rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  after(async () => {
    await browser?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await server?.close();
    await server?.db.close();
  });

  const logIn = (page: Page, pid: string) => logInThai(page, pid, TEST_PERSON.password);

  /** the verifier at AAL 2.1 (logged in once, in a browser with the fake camera), the person found by ID number */
  async function verifierFinds(who: { pid: string; given_name: string; family_name: string }, o: { noCamera?: boolean } = {}): Promise<Page> {
    if (!verifier) {
      verifier = await (await browser.newContext()).newPage();
      verifier.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await verifier.goto(`${server.url}/verifier`);
      await logIn(verifier, TEST_PERSON.pid);
      await verifier.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
      await verifier.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(server.url, '+66812345678'));
      await verifier.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
    }
    // a counter PC without a camera: the browser finds no video device
    if (o.noCamera) await verifier.addInitScript(() => { navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError')); });
    await verifier.goto(`${server.url}/verifier`);
    await verifier.getByLabel('เลขประจำตัวประชาชน').fill(who.pid);
    await verifier.getByLabel('เหตุผลในการค้นหา (บันทึกไว้)').fill('ยืนยันตัวตนที่เคาน์เตอร์');
    await verifier.getByRole('button', { name: 'ค้นหา' }).click();
    await verifier.getByText(`${who.given_name} ${who.family_name}`, { exact: true }).waitFor();
    return verifier;
  }

  test('the counter camera\'s capture is compared with the chip photo; the score shows beside both and is recorded', async () => {
    {
      const verifier = await verifierFinds(FACED);
      const nonce = (await verifier.locator('#card-reader').getAttribute('data-nonce'))!;
      await verifier.getByText(cardReaderTexts.cardReadPaste).click();
      await verifier.getByLabel('เอกสารการอ่านบัตร (จากเครื่องอ่านบัตรของหน่วยบริการ)').fill(await facedCardRead(nonce));

      await verifier.getByRole('button', { name: inPersonTexts.inPersonCaptureStart, exact: true }).click();
      await verifier.getByRole('button', { name: inPersonTexts.inPersonCaptureTake, exact: true }).click();
      const score = verifier.locator('#face-compare-score');
      await score.filter({ hasText: 'เกณฑ์ 0.470' }).waitFor({ timeout: 30_000 });
      const text = (await score.textContent())!;
      assert.match(text, /คะแนนความเหมือนจากการเปรียบเทียบอัตโนมัติ 0\.\d{3} \(เกณฑ์ 0\.470\): ถึงเกณฑ์/, 'the same person: at or above the threshold');
      const shown = Number(/ (0\.\d{3}) /.exec(text)![1]);
      // beside both pictures: the camera's still and the chip photo of the signed document
      assert.ok(await verifier.getByRole('img', { name: inPersonTexts.inPersonCaptureAlt }).isVisible());
      assert.ok(await verifier.getByRole('img', { name: inPersonTexts.inPersonChipPhoto }).isVisible());
      assert.match((await verifier.locator('#face-compare-chip').getAttribute('src'))!, /^data:image\/jpeg;base64,/);
      assert.match(await verifier.locator('#face_capture').inputValue(), /^data:image\/jpeg;base64,\/9j\//, 'the still JPEG is in the form');

      await verifier.getByLabel('ตรวจสอบสถานะบัตรกับกรมการปกครองแล้ว บัตรใช้งานได้').check();
      await verifier.getByLabel('เปรียบเทียบใบหน้าของผู้รับบริการกับรูปถ่ายในชิปบัตรแล้ว ตรงกัน').check();
      await verifier.getByRole('button', { name: 'ยืนยันตัวตน', exact: true }).click();
      await verifier.getByRole('status').filter({ hasText: 'บันทึกคะแนนเปรียบเทียบใบหน้า' }).waitFor({ timeout: 30_000 });
      assert.deepEqual(violations, [], 'no CSP violation: the camera, the still and the compare call are allowed');

      const account = (await server.app().accounts.findByPid(FACED.pid))!;
      const evidence = await approvedEvidence(server.db, account.sub);
      const face = evidence.find((e) => e.method === 'in_person')!.faceCheck!;
      assert.equal(face.against, 'chip_photo');
      assert.equal(face.threshold, 0.47);
      assert.ok(face.matched && Math.abs(face.score - shown) < 0.02, `the score recorded (${face.score}) is the one shown (${shown})`);
      assert.match(face.model.name, /dlib/);
      assert.ok(face.liveness && face.liveness.gate === false, 'liveness recorded, not a gate');
      const claims = verifiedClaims(account, '2.3', evidence, { mayReceivePid: false }) as { verification: { evidence: Array<{ check_details: Array<Record<string, unknown>> }> } };
      const details = claims.verification.evidence.flatMap((e) => e.check_details);
      assert.ok(details.some((d) => (d.th_face_comparison as { score?: number; compared_with?: string } | undefined)?.compared_with === 'chip_photo'), 'verified_claims carries the comparison');
    }
  });

  test('the verifier verifies the person at the counter; the relying party then gets IAL 2.3', async () => {
    const verifier = await verifierFinds(CITIZEN, { noCamera: true });

    // the card reader agent is not running on this computer: the button says so, in Thai
    await verifier.getByRole('button', { name: 'อ่านบัตร', exact: true }).click();
    await verifier.getByRole('alert').filter({ hasText: cardReaderTexts.cardReadAgentDown }).waitFor();
    assert.equal(await verifier.locator('#card_read_document').inputValue(), '', 'nothing is filled in');
    assert.deepEqual(violations, [], 'no CSP violation: the script, its data block and the call to the agent are all allowed');

    await verifier.getByRole('button', { name: inPersonTexts.inPersonCaptureStart, exact: true }).click();
    await verifier.getByRole('alert').filter({ hasText: inPersonTexts.inPersonCaptureNoCamera }).waitFor();
    assert.equal(await verifier.locator('#face_capture').inputValue(), '', 'no capture in the form');

    // the fallback: a document pasted, signed over this page's challenge
    const nonce = (await verifier.locator('#card-reader').getAttribute('data-nonce'))!;
    await verifier.getByText(cardReaderTexts.cardReadPaste).click();
    await verifier.getByLabel('เอกสารการอ่านบัตร (จากเครื่องอ่านบัตรของหน่วยบริการ)').fill(await cardRead(nonce));
    await verifier.getByLabel('ตรวจสอบสถานะบัตรกับกรมการปกครองแล้ว บัตรใช้งานได้').check();
    await verifier.getByLabel('เปรียบเทียบใบหน้าของผู้รับบริการกับรูปถ่ายในชิปบัตรแล้ว ตรงกัน').check();
    await verifier.getByRole('button', { name: 'ยืนยันตัวตน', exact: true }).click();
    await verifier.getByRole('status').filter({ hasText: '2.3' }).waitFor();
    // no camera at this counter: the page said so, the verifier compared by eye, and the record says so
    const account = (await server.app().accounts.findByPid(CITIZEN.pid))!;
    const byEye = (await approvedEvidence(server.db, account.sub)).find((e) => e.method === 'in_person')!;
    assert.equal(byEye.faceCheck, undefined);
    assert.match(byEye.reason ?? '', /face compared by eye, no automated comparison \(no camera capture\)/);

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
