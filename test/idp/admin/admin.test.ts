// The administrator's page over HTTP: only admins at AAL 2.1; the audit log filtered by person, actor
// and unit; a person's evidence looked up with a reason (audited) and revoked; unit administrators
// appointed; service points switched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';
import { accountIal } from '../../../src/idp/proofing/index.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310080000001'), phone_number: '0868880001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310080000002'), phone_number: '0868880002', phone_verified: true };

for (const target of dbTargets()) {
  describe(`administration on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let citizen: string;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units } = server.app();
      await units.importFile(UNITS);
      await accounts.create(ADMIN);
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      citizen = (await accounts.create(CITIZEN)).sub;
      await server.db.tx((q) => recordEvidence(q, { sub: citizen, method: 'register_check', checks: ['register_check'], documents: [], unitHcode: '10699', decision: 'approved' }));
    });
    after(async () => {
      await server.close();
      await drop();
    });

    async function logIn(who: typeof ADMIN, phone: string) {
      const person = new Person(server.url);
      let page = await person.follow('/admin');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(phone)}`)).json()) as Array<{ text: string }>;
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      return { person, page };
    }

    test('a non-admin is refused', async () => {
      const { page } = await logIn(CITIZEN, '+66868880002');
      assert.equal(page.res.status, 403);
    });

    test('evidence lookup with a reason, revocation, audit filter, unit admin, service point', async () => {
      const { person, page: start } = await logIn(ADMIN, '+66868880001');
      assert.equal(start.res.status, 200);
      let page = await person.submit('/admin/evidence', { csrf: Person.csrf(start.body), evidence_pid: CITIZEN.pid, evidence_reason: '' });
      assert.equal(page.res.status, 400);
      page = await person.submit('/admin/evidence', { csrf: Person.csrf(page.body), evidence_pid: CITIZEN.pid, evidence_reason: 'fraud report 77' });
      assert.equal(page.res.status, 200);
      assert.equal(await accountIal(server.db, citizen), '1.2');
      const revoke = page.body.match(/action="(\/admin\/evidence\/\d+\/revoke)"/)![1]!;
      page = await person.submit(revoke, { csrf: Person.csrf(page.body), reason: 'fraud report 77 confirmed' });
      assert.equal(page.res.status, 200);
      assert.equal(await accountIal(server.db, citizen), '1.1');

      page = await person.submit('/admin/audit', { csrf: Person.csrf(page.body), pid: CITIZEN.pid });
      assert.match(page.body, /<td>การยืนยันตัวตนถูกเพิกถอน<\/td>/, 'the action in words');
      assert.doesNotMatch(page.body, /evidence\.revoked|<code>/, 'no raw identifiers');
      assert.match(page.body, /\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\./, 'Thai time, Buddhist era');
      assert.match(page.body, /fraud report 77 confirmed/);
      page = await person.submit('/admin/audit', { csrf: Person.csrf(page.body), actor: 'operator:somchai' });
      assert.match(page.body, /ได้รับแต่งตั้งบทบาท/);
      assert.doesNotMatch(page.body, /การยืนยันตัวตนถูกเพิกถอน/);
      assert.match(page.body, /<button type="submit">แต่งตั้งผู้ดูแลหน่วยบริการ<\/button>/, 'the unit administrator form has its own button');

      page = await person.submit('/admin/unit-admin', { csrf: Person.csrf(page.body), ua_pid: CITIZEN.pid, ua_hcode: '10699', ua_reason: 'director' });
      assert.equal(page.res.status, 200);
      assert.equal(await server.app().units.hasRole(citizen, 'unit_admin', '10699'), true);
      page = await person.submit('/admin/service-point', { csrf: Person.csrf(page.body), sp_hcode: '13836', state: 'on' });
      assert.equal(page.res.status, 200);
      assert.deepEqual((await server.app().units.servicePoints()).map((u) => u.hcode), ['13836']);
      const forged = await person.submit('/admin/service-point', { csrf: 'x.y', sp_hcode: '10699', state: 'on' });
      assert.equal(forged.res.status, 403);
      const searches = await server.db.query(`SELECT 1 FROM audit_events WHERE action = 'admin.person_search' AND subject = $1`, [citizen]);
      assert.equal(searches.rows.length, 1);
    });
  });
}
