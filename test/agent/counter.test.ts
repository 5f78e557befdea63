// The hospital counter end to end, with every part real: a private pcscd with an emulated Thai ID card
// (agent/test/helpers/pcsc.ts), the card reader agent as its own program (`node agent/src/main.ts`),
// the IdP and the Authen Code service of the test zone, Chromium and openid-client.
//   - the unit's pairing code pairs the agent (`mpid-card-agent pair CODE`), which registers at Authen Code;
//   - the verifier at /verifier presses Read card: the chip is read and signed over the page's
//     challenge, the chip photo is shown, the evidence recorded; a relying party asking min_ial=2.3 is served;
//   - the staff page confirms a visit by card read;
//   - a hospital system calls the agent as it calls the NHSO agent (read with entitlement, confirm-save,
//     latest-authen-code), and with Authen Code gone the card is still read (read-card-only) and /read
//     says what could not be checked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { writePopulationFile } from '../../src/kernel/registry/synthetic_population.ts';
import { addClient, freePort, TEST_PERSON } from '../helpers/server.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { catchRedirect, launchBrowser, logInThai, smsCode } from '../helpers/browser.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { th as cardReaderTexts } from '../../src/kernel/web/card_reader/messages.ts';
import { fromBuddhistDate } from '../../src/kernel/thai/dates.ts';
import { fixtures, startPcsc, type Pcsc } from '../../agent/test/helpers/pcsc.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** `mpid-card-agent …` to its end, without blocking this process (the services run in it) */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['agent/src/main.ts', ...args], { cwd: root, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b));
  child.stderr.on('data', (b: Buffer) => (stderr += b));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}
const REDIRECT = 'https://rp.example.test/cb';
const SOMCHAI = fixtures.somchai;
/** the card holder's account, as the card has them */
const CARD_HOLDER = {
  ...TEST_PERSON,
  pid: SOMCHAI.pid,
  given_name: SOMCHAI.given_name_th,
  family_name: SOMCHAI.family_name_th,
  birthdate: fromBuddhistDate(SOMCHAI.birthdate_be),
  phone_number: '0861230001',
  phone_verified: true,
};

describe('the hospital counter: card reader agent, emulated card, verifier console, staff page and HIS', () => {
  let pcsc: Pcsc;
  let zone: Zone;
  let browser: Browser;
  let agent: ChildProcess;
  let agentUrl: string;
  let agentEnv: NodeJS.ProcessEnv;
  let agentId: string;
  let rp: oidc.Configuration;
  /** the counter PC's browser */
  let counter: BrowserContext;
  const agentLog: string[] = [];

  before(async () => {
    pcsc = await startPcsc();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-counter-'));
    // the synthetic registers, with the card holder in them (the entitlement register reads the same file)
    const populationFile = path.join(dir, 'population.csv');
    await writePopulationFile(populationFile, 50);
    appendFileSync(populationFile, [SOMCHAI.pid, SOMCHAI.title_th, SOMCHAI.given_name_th, SOMCHAI.family_name_th, SOMCHAI.birthdate_be, 'JT0-1234567-89', 'valid', 'กรุงเทพมหานคร', 'บางรัก', 'สุริยวงศ์', fromBuddhistDate(SOMCHAI.birthdate_be)].join(',') + '\n');
    const port = await freePort();
    agentUrl = `http://127.0.0.1:${port}`;
    zone = await startZone(await openPglite(), { CARD_AGENT_URL: agentUrl, POPULATION_FILE: populationFile });
    browser = await launchBrowser();
    counter = await browser.newContext();
    await seedVerifierAtUnit(zone.idp, { servicePoint: true });
    await zone.idp.app().accounts.create(CARD_HOLDER);
    const client = await addClient(zone.idp, { client_name: 'Hospital portal', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
    rp = await oidc.discovery(new URL(zone.idp.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });

    agentEnv = {
      ...process.env,
      ...pcsc.env,
      MPID_AGENT_PORT: String(port),
      MPID_AGENT_IDP_URL: zone.idp.url,
      MPID_AGENT_AUTHENCODE_URL: zone.ac.url,
      MPID_AGENT_DATA_DIR: path.join(dir, 'agent'),
      MPID_AGENT_LOG_LEVEL: 'info',
    };
    // the IT officer: a code from the unit administrator, then one command on the counter PC
    const { code } = await zone.idp.app().cardAgents.createPairingCode({ hcode: '10699', by: 'test-unit-admin' });
    const paired = await run(['pair', code, '--name', 'Counter 1'], agentEnv);
    assert.equal(paired.status, 0, paired.stderr);
    assert.match(paired.stdout, /paired with Mor Prom ID .*\(10699\)/);
    assert.match(paired.stdout, /registered at Authen Code until/);
    agentId = paired.stdout.match(/agent (agent-[0-9a-f]+)/)![1]!;

    agent = spawn(process.execPath, ['agent/src/main.ts', 'start'], { cwd: root, env: agentEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const s of [agent.stdout!, agent.stderr!]) s.on('data', (b: Buffer) => agentLog.push(b.toString()));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${agentUrl}/api/status`)).ok) break;
      } catch {
        if (i > 100) throw new Error(`the agent did not start: ${agentLog.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await pcsc.insert({ fixture: 'somchai', atr: '3b67' });
  });
  let acClosed = false;
  after(async () => {
    agent?.kill();
    await browser?.close();
    if (!acClosed) await zone?.ac.close();
    await zone?.idp.close();
    await zone?.idp.db.close();
    await pcsc?.stop();
  });

  const logIn = (page: Page, pid: string) => logInThai(page, pid, TEST_PERSON.password);

  async function smsStepUp(page: Page, idp: string) {
    await page.getByRole('button', { name: /ส่งรหัสทาง SMS/ }).click();
    await page.getByLabel('รหัส 6 หลักที่ได้รับทาง SMS').fill(await smsCode(idp, '+66812345678'));
    await page.getByRole('button', { name: 'ยืนยัน', exact: true }).click();
  }

  test('the verifier reads the card at the counter, compares the chip photo, and the relying party gets IAL 2.3', async () => {
    const verifier = await counter.newPage();
    const violations: string[] = [];
    verifier.on('console', (m) => {
      if (/Content Security Policy|Private Network|CORS/i.test(m.text())) violations.push(m.text());
    });
    await verifier.goto(`${zone.idp.url}/verifier`);
    await logIn(verifier, TEST_PERSON.pid);
    await smsStepUp(verifier, zone.idp.url);
    await verifier.getByLabel('เลขประจำตัวประชาชน').fill(CARD_HOLDER.pid);
    await verifier.getByLabel('เหตุผลในการค้นหา (บันทึกไว้)').fill('ยืนยันตัวตนที่เคาน์เตอร์');
    await verifier.getByRole('button', { name: 'ค้นหา' }).click();
    await verifier.getByText(`${CARD_HOLDER.given_name} ${CARD_HOLDER.family_name}`, { exact: true }).waitFor();

    await verifier.getByRole('button', { name: 'อ่านบัตร', exact: true }).click();
    await verifier.getByRole('status').filter({ hasText: cardReaderTexts.cardReadDone }).waitFor({ timeout: 20_000 });
    assert.match(await verifier.locator('#card-read-name').innerText(), new RegExp(`${SOMCHAI.given_name_th} ${SOMCHAI.family_name_th}`));
    const photo = verifier.locator('#card-read-photo');
    assert.ok(await photo.isVisible(), 'the chip photo is shown beside the face-compare confirmation');
    const size = await photo.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight }));
    assert.ok(size.w > 0 && size.h > 0, 'the chip photo is a JPEG the browser decodes');
    assert.notEqual(await verifier.locator('#card_read_document').inputValue(), '', 'the signed read is in the form');

    await verifier.getByLabel('ตรวจสอบสถานะบัตรกับกรมการปกครองแล้ว บัตรใช้งานได้').check();
    await verifier.getByLabel('เปรียบเทียบใบหน้าของผู้รับบริการกับรูปถ่ายในชิปบัตรแล้ว ตรงกัน').check();
    await verifier.getByRole('button', { name: 'ยืนยันตัวตน', exact: true }).click();
    await verifier.getByRole('status').filter({ hasText: '2.3' }).waitFor();
    assert.deepEqual(violations, []);
    const holder = (await zone.idp.app().accounts.findByPid(CARD_HOLDER.pid))!;
    const { rows: evidence } = await zone.idp.db.query<{ checks: string[]; reason: string; unit_hcode: string }>('SELECT checks, reason, unit_hcode FROM evidence WHERE sub = $1', [holder.sub]);
    assert.equal(evidence.length, 1);
    assert.deepEqual(evidence[0]!.checks, ['chip_read', 'card_status', 'face_compare_in_person']);
    assert.equal(evidence[0]!.unit_hcode, '10699');
    assert.match(evidence[0]!.reason, new RegExp(`card read by ${agentId}`), 'read by the paired agent');

    const context = await browser.newContext();
    const callback = await catchRedirect(context, REDIRECT);
    const citizen = await context.newPage();
    await citizen.goto(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 'st', min_ial: '2.3', claims: JSON.stringify({ id_token: { ial: null } }) }).toString());
    await logIn(citizen, CARD_HOLDER.pid);
    await citizen.getByRole('button', { name: 'อนุญาต', exact: true }).click();
    const tokens = await oidc.authorizationCodeGrant(rp, new URL(await callback()), { expectedState: 'st', idTokenExpected: true });
    assert.equal(tokens.claims()!.ial, '2.3');
  });

  test('someone else\'s card is not put in the form: the page says whose card it is not', async () => {
    // the same verifier, still logged in at the counter
    const verifier = await counter.newPage();
    await verifier.goto(`${zone.idp.url}/verifier`);
    await verifier.getByLabel('เลขประจำตัวประชาชน').fill(TEST_PERSON.pid);
    await verifier.getByLabel('เหตุผลในการค้นหา (บันทึกไว้)').fill('ทดสอบบัตรผิดคน');
    await verifier.getByRole('button', { name: 'ค้นหา' }).click();
    await verifier.getByRole('button', { name: 'อ่านบัตร', exact: true }).click();
    await verifier.getByRole('alert').filter({ hasText: cardReaderTexts.cardReadWrongPerson }).waitFor({ timeout: 20_000 });
    assert.equal(await verifier.locator('#card_read_document').inputValue(), '');
  });

  test('staff confirm a visit by card read at the Authen Code staff page', async () => {
    // the verifier is also staff of the unit: at the IdP their session (AAL 2.1) logs them in
    const page = await counter.newPage();
    await page.goto(`${zone.ac.url}/staff`);
    const allow = page.getByRole('button', { name: 'อนุญาต', exact: true });
    const back = page.waitForURL(`${zone.ac.url}/staff**`);
    if (await Promise.race([back.then(() => false), allow.waitFor().then(() => true)])) await allow.click();
    await back;
    const unit = page.getByLabel('เลือกหน่วยบริการที่ปฏิบัติงาน');
    if (await unit.count()) {
      await unit.selectOption('10699');
      await page.getByRole('button', { name: 'เลือก' }).click();
    }
    await page.getByLabel('เลขประจำตัวประชาชนของผู้รับบริการ').fill(SOMCHAI.pid);
    await page.getByRole('button', { name: 'ตรวจสอบสิทธิ' }).click();
    await page.getByRole('button', { name: 'อ่านบัตร', exact: true }).click();
    await page.getByRole('status').filter({ hasText: cardReaderTexts.cardReadDone }).waitFor({ timeout: 20_000 });
    assert.ok(await page.getByLabel('อ่านบัตรประชาชน (เอกสารจากเครื่องอ่านบัตร)').isChecked(), 'Read card chose the card-read method');
    await page.getByLabel('PG0060001 เข้ารับบริการรักษาทั่วไป (OPD/ IPD/ PP)').check();
    await page.getByLabel('เบอร์โทรศัพท์มือถือ').fill('0812223333');
    await page.getByRole('button', { name: 'ยืนยันและขอ Authen Code' }).click();
    const code = (await page.getByRole('status').first().innerText()).match(/PP\d{10}/)?.[0];
    assert.ok(code, 'an Authen Code');
    const { rows } = await zone.ac.db.query<{ method: string; evidence: { agent: string } }>('SELECT method, evidence FROM authencode.visits WHERE claim_code = $1', [code]);
    assert.deepEqual(rows[0], { method: 'card', evidence: { agent: agentId } }, 'confirmed by the card the paired agent read');
  });

  test('a hospital system calls the agent as it calls the NHSO agent: read with entitlement, confirm-save, latest code', async () => {
    const terminals = (await (await fetch(`${agentUrl}/api/smartcard/terminals`)).json()) as Array<{ terminalName: string; isPresent: boolean }>;
    assert.ok(terminals.some((t) => t.isPresent), JSON.stringify(terminals));

    const res = await fetch(`${agentUrl}/api/smartcard/read?readImageFlag=true`);
    const read = (await res.json()) as Record<string, unknown> & { claimTypes: Array<{ claimType: string }>; hospMain: { hcode: string } };
    assert.equal(res.status, 200, JSON.stringify(read));
    assert.equal(read.pid, SOMCHAI.pid);
    assert.equal(read.fname, SOMCHAI.given_name_th);
    assert.equal(read.lname, SOMCHAI.family_name_th);
    assert.equal(read.birthDate, SOMCHAI.birthdate_be);
    assert.equal(read.sex, '1');
    assert.equal(read.nation, '099');
    assert.match(String(read.mainInscl), /^\([A-Z]{3}\) /);
    assert.match(read.hospMain.hcode, /^\d{5}$/);
    assert.ok(read.claimTypes.some((c) => c.claimType === 'PG0060001'));
    assert.match(String(read.correlationId), /^[0-9a-f-]{36}$/);
    assert.ok(Buffer.from(String(read.image), 'base64').subarray(0, 2).equals(Buffer.from([0xff, 0xd8])), 'the chip photo, base64 JPEG');

    const save = await fetch(`${agentUrl}/api/nhso-service/confirm-save`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pid: read.pid, claimType: 'PG0120001', mobile: '0812345678', correlationId: read.correlationId, hn: 'HN-7' }),
    });
    const saved = (await save.json()) as { claimCode: string; pid: string; correlationId: string };
    assert.ok(save.status >= 200 && save.status < 300, JSON.stringify(saved));
    assert.match(saved.claimCode, /^EP\d{10}$/);
    assert.equal(saved.correlationId, read.correlationId);
    const latest = (await (await fetch(`${agentUrl}/api/nhso-service/latest-authen-code/${SOMCHAI.pid}`)).json()) as { claimCode: string; hcode: string };
    assert.equal(latest.hcode, '10699', "the agent's unit");
    assert.ok(/^(EP|PP)\d{10}$/.test(latest.claimCode));
    assert.ok(!agentLog.join('').includes(SOMCHAI.pid), 'the agent logs no ID number');
    assert.ok(!agentLog.join('').includes(SOMCHAI.given_name_th), 'nor names');
  });

  test('with the Authen Code service gone the card is still read, and /read says what could not be checked', async () => {
    await zone.ac.close();
    acClosed = true;
    const only = await fetch(`${agentUrl}/api/smartcard/read-card-only?readImageFlag=false`);
    const card = (await only.json()) as Record<string, unknown>;
    assert.equal(only.status, 200);
    assert.equal(card.pid, SOMCHAI.pid);
    assert.equal(card.image, undefined);
    const read = await fetch(`${agentUrl}/api/smartcard/read?readImageFlag=false`);
    const body = (await read.json()) as { status: number; message: string };
    assert.equal(read.status, 503);
    assert.match(body.message, /entitlement/i);
  });
});
