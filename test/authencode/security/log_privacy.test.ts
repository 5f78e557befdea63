// No personal data in the logs of either service along the Authen Code flows: a citizen confirms for
// themself and a family member, a member of staff checks a patient's entitlement and confirms by
// certification, and a hospital system calls the agent-compatible API with ID numbers in the path and
// the body. ID numbers and phones are looked for in any spelling; passwords, codes and tokens as sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';
import { capturedLog, assertNotLogged, type CapturedLog } from '../../helpers/logs.ts';
import { insecure, outbox } from '../../helpers/login.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';

const fixture = (name: string) => path.resolve(import.meta.dirname, '../../../samples', name);
const dashed = (pid: string) => `${pid[0]}-${pid.slice(1, 5)}-${pid.slice(5, 10)}-${pid.slice(10, 12)}-${pid[12]}`;
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310080000011'), phone_number: '0867771111', password: 'a citizen passphrase of mine', phone_verified: true };
const FAMILY_PID = pidWithCheckDigit('110080000012');

for (const target of dbTargets()) {
  describe(`no personal data in the Authen Code flows' logs on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let zone: Zone;
    let idpLog: CapturedLog;
    let acLog: CapturedLog;
    let patients: string[];

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      idpLog = capturedLog('trace');
      acLog = capturedLog('trace');
      zone = await startZone(made.db, {}, { idp: idpLog.log, ac: acLog.log });
      const { accounts, personnel, units } = zone.idp.app();
      await units.importFile(fixture('units.csv'));
      await personnel.importFile(fixture('personnel.csv'));
      const staff = await accounts.create({ ...TEST_PERSON, phone_verified: true });
      await personnel.link((await accounts.findBySub(staff.sub))!);
      const { sub } = await accounts.create(CITIZEN);
      await zone.idp.db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], decision: 'approved' }));
      patients = readFileSync(zone.idp.config.populationFile, 'utf8').split('\n').slice(1, 3).map((row) => row.split(',')[0]!);
    });
    after(async () => {
      await zone.close();
      await drop();
    });

    /** From the service to the IdP and back in one browser (cookies do not tell the two ports apart). */
    async function throughIdp(person: Person, external: string, pid: string, password: string, sms?: string) {
      const atIdp = new Person(zone.idp.url);
      atIdp.jar = person.jar;
      let page = await atIdp.follow(external);
      page = await atIdp.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid, password });
      if (sms) {
        page = await atIdp.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
        page = await atIdp.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: (await outbox(zone.idp, sms)).code! });
      }
      if (!page.external) page = await atIdp.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
      assert.ok(page.external, `back at the service, got ${page.res.status} ${page.body.slice(0, 200)}`);
      return person.follow(page.external);
    }

    test('citizen, staff and API flows leave no ID number, phone, password, code or token in either log', async () => {
      const ac = zone.ac.url;
      // a citizen confirms for a family member (ID number typed with dashes) and for themself
      const citizen = new Person(ac);
      let page = await citizen.follow('/visit');
      const toIdp = await citizen.submit('/visit/code', { csrf: Person.csrf(page.body), unit_code: '10699-0060' });
      page = await throughIdp(citizen, toIdp.external!, CITIZEN.pid, CITIZEN.password);
      assert.match(page.url, /\/visit\/confirm$/);
      const form = { csrf: Person.csrf(page.body), relationship: 'parent', mobile: '0867771234' };
      assert.equal((await citizen.submit('/visit/confirm', { ...form, who: 'family', family_pid: dashed(FAMILY_PID) })).res.status, 200);
      assert.equal((await citizen.submit('/visit/confirm', { ...form, who: 'self' })).res.status, 200);
      assert.equal((await citizen.follow('/visit/history')).res.status, 200);

      // a member of staff, at AAL 2.1 with an SMS code, checks a patient and confirms by certification
      const staff = new Person(ac);
      page = await staff.follow('/staff');
      page = await throughIdp(staff, page.external!, TEST_PERSON.pid, TEST_PERSON.password, '+66812345678');
      page = await staff.submit('/staff/unit', { csrf: Person.csrf(page.body), hcode: '10699' });
      page = await staff.submit('/staff/patient', { csrf: Person.csrf(page.body), pid: dashed(patients[0]!) });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      const visit = new FormData();
      const fields = {
        csrf: Person.csrf(page.body), pid: patients[0]!, method: 'certification', certifier_pid: CITIZEN.pid, certifier_name: 'มานี ใจดี',
        certifier_relationship: 'guardian', cert_reason: 'ผู้ป่วยเด็ก ไม่มีบัตร', hn: 'HN-42', claim_type: 'PG0060001', mobile: '0812223333', action: 'confirm',
        service_date: page.body.match(/name="service_date"[^>]*value="([^"]+)"/)![1]!, service_time: page.body.match(/name="service_time"[^>]*value="([^"]+)"/)![1]!,
      };
      for (const [k, v] of Object.entries(fields)) visit.set(k, v);
      page = await staff.follow('/staff/visit', { method: 'POST', body: visit });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /PP\d{10}/);
      assert.equal((await staff.submit('/staff/visits', { csrf: Person.csrf(page.body), pid: patients[0]! })).res.status, 200);
      assert.equal((await staff.submit('/staff/history', { csrf: Person.csrf(page.body), pid: patients[0]! })).res.status, 200);

      // a hospital system calls the API: ID numbers in the body and in the path
      const his = await addClient(zone.idp, { client_id: 'his-10699', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode: '10699' });
      const rp = await oidc.discovery(new URL(zone.idp.url), his.client_id, his.client_secret, undefined, insecure);
      const token = (await oidc.clientCredentialsGrant(rp, { resource: zone.ac.config.apiAudience, scope: 'authencode' })).access_token;
      const call = (p: string, body?: unknown) =>
        fetch(`${ac}${p}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      assert.equal((await call('/api/nhso-service/confirm-save', { pid: patients[1], claimType: 'PG0060001', mobile: '0812223334' })).status, 201);
      for (const p of [`/api/nhso-service/latest-authen-code/${patients[1]}`, `/api/nhso-service/latest-5-authen-code-all-hospital/${patients[1]}`, `/api/smartcard/probe/${patients[1]}`]) {
        assert.equal((await call(p)).status, 200, p);
      }
      assert.equal((await call(`/api/nhso-service/latest-authen-code/${FAMILY_PID}`)).status, 200, 'the family member confirmed here');
      // the same ID number written with dashes and percent-encoded digit by digit: answered, never logged
      const encoded = [...patients[1]!].map((d) => `%3${d}`).join('');
      for (const p of [`/api/nhso-service/latest-authen-code/${dashed(patients[1]!)}`, `/api/nhso-service/latest-5-authen-code-all-hospital/${encoded}`]) {
        assert.ok((await call(p)).status < 500, p);
      }

      const lines = [...idpLog.lines, ...acLog.lines];
      assert.ok(acLog.lines.some((l) => l.includes('"msg":"request"')), 'the service logs its requests');
      assertNotLogged(lines, {
        "citizen's ID number": { value: CITIZEN.pid, numeric: true },
        "family member's ID number": { value: FAMILY_PID, numeric: true },
        "patient's ID number": { value: patients[0]!, numeric: true },
        "API patient's ID number": { value: patients[1]!, numeric: true },
        "staff member's ID number": { value: TEST_PERSON.pid, numeric: true },
        "citizen's phone": { value: '867771111', numeric: true },
        'mobile given by the citizen': { value: '867771234', numeric: true },
        'mobile given by staff': { value: '812223333', numeric: true },
        'mobile sent to the API': { value: '812223334', numeric: true },
        "staff member's phone": { value: '812345678', numeric: true },
        "citizen's password": { value: CITIZEN.password },
        "staff member's password": { value: TEST_PERSON.password },
        'SMS code': { value: (await outbox(zone.idp, '+66812345678')).code!, numeric: true },
        'access token': { value: token },
        'client secret': { value: his.client_secret! },
      });
    });
  });
}
