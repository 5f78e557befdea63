// Unit administrators manage their unit's verifiers in the console (/verifier/unit) over HTTP: logged
// in at AAL 2.1, they appoint only eligible people (linked personnel at IAL 2.3) with a reason and
// withdraw with a reason; every act is audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const PERSONNEL = path.resolve(import.meta.dirname, '../../../samples/personnel.csv');
const NURSE = { ...TEST_PERSON, pid: '3250100123450', given_name: 'ประเสริฐ', family_name: 'ใจงาม', birthdate: '1979-08-02', phone_number: '0863330000', phone_verified: true };
const HEAD = { ...TEST_PERSON, pid: pidWithCheckDigit('310060000001'), phone_number: '0864440000', phone_verified: true };

for (const target of dbTargets()) {
  describe(`unit administrators and their verifiers on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let nurse: string;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, personnel, units } = server.app();
      await units.importFile(UNITS);
      await personnel.importFile(PERSONNEL);
      nurse = (await accounts.create(NURSE)).sub;
      await personnel.link((await accounts.findBySub(nurse))!);
      const head = (await accounts.create(HEAD)).sub;
      const admin = (await accounts.create({ ...TEST_PERSON, pid: pidWithCheckDigit('310060000002') })).sub;
      await units.bootstrapAdmin({ pid: pidWithCheckDigit('310060000002'), operator: 'somchai', reason: 'first admin' });
      await units.grant({ sub: head, role: 'unit_admin', hcode: '10699', by: admin, reason: 'director of 10699' });
    });
    after(async () => {
      await server.close();
      await drop();
    });

    test('appoint only the eligible, with a reason; withdraw with a reason', async () => {
      const person = new Person(server.url);
      let page = await person.follow('/verifier/unit');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: HEAD.pid, password: HEAD.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=%2B66864440000`)).json()) as Array<{ text: string }>;
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      assert.match(page.url, /\/verifier\/unit$/);

      page = await person.submit('/verifier/unit/appoint', { csrf: Person.csrf(page.body), unit: '10699', pid: NURSE.pid, reason: 'new verifier' });
      assert.equal(page.res.status, 400);
      // why, in words on the Thai page (never the English of the rule)
      assert.match(page.body, /แต่งตั้งไม่ได้: ผู้ยืนยันตัวตนต้องยืนยันตัวตนแล้วในระดับ 2\.3 ขึ้นไป/);
      assert.doesNotMatch(page.body, /must be at IAL/);
      assert.equal(await server.app().units.hasRole(nurse, 'verifier', '10699'), false);

      await server.db.tx((q) => recordEvidence(q, { sub: nurse, method: 'in_person', checks: ['chip_read', 'card_status', 'face_compare_in_person'], documents: [], unitHcode: '10699', verifierSub: 'someone-else', decision: 'approved' }));
      page = await person.submit('/verifier/unit/appoint', { csrf: Person.csrf(page.body), unit: '10699', pid: NURSE.pid, reason: 'new verifier' });
      assert.equal(page.res.status, 200);
      assert.equal(await server.app().units.hasRole(nurse, 'verifier', '10699'), true);
      assert.match(page.body, /ประเสริฐ ใจงาม/);

      page = await person.submit('/verifier/unit/withdraw', { csrf: Person.csrf(page.body), unit: '10699', sub: nurse, reason: '' });
      assert.equal(page.res.status, 400);
      page = await person.submit('/verifier/unit/withdraw', { csrf: Person.csrf(page.body), unit: '10699', sub: nurse, reason: 'moved to Watthana Nakhon' });
      assert.equal(page.res.status, 200);
      assert.equal(await server.app().units.hasRole(nurse, 'verifier', '10699'), false);
      const { rows } = await server.db.query<{ detail: { reason: string } }>(`SELECT detail FROM audit_events WHERE action = 'role.withdrawn' AND subject = $1`, [nurse]);
      assert.equal(rows[0]!.detail.reason, 'moved to Watthana Nakhon');
    });

    test('someone who administers no unit is refused', async () => {
      const person = new Person(server.url);
      let page = await person.follow('/verifier/unit');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: NURSE.pid, password: NURSE.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=%2B66863330000`)).json()) as Array<{ text: string }>;
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 403);
    });
  });
}
