// The administration console's audit log, accounts and roles, over HTTP on both databases, in the
// console and through the admin API (one set of rules): the audit log filtered, paged by seq, exported
// as CSV without ID numbers, its hash chain verified incrementally and in full (a tampered event is
// found); an account found by ID number with a reason (audited), unlocked after throttling, its sessions
// ended and second factors removed after a named identity check, the person told by SMS; roles granted
// and withdrawn with history; nobody unlocks their own account or edits their own roles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { adminApiToken, logInToConsole, smsTo } from '../../helpers/admin_console.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000001'), phone_number: '0869990001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000002'), phone_number: '0869990002', phone_verified: true };
const OTHER = { ...TEST_PERSON, pid: pidWithCheckDigit('310090000003'), phone_number: '0869990003', phone_verified: true };
const phone = (p: string) => `+66${p.slice(1)}`;

for (const target of dbTargets()) {
  describe(`the console's audit log, accounts and roles on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let admin: Person;
    let adminSub: string;
    let citizenSub: string;
    let apiToken: () => Promise<string>;

    const outbox = (to: string) => smsTo(server.url, to);
    /** logs in at /admin with password and SMS; answers the last page */
    const logIn = (who: typeof ADMIN, person = new Person(server.url)) => logInToConsole(server.url, who, { person });
    const api = async (p: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await fetch(`${server.url}/admin/api${p}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${await apiToken()}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      return { status: res.status, text, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const events = async (action: string) =>
      (await server.db.query<{ actor: string; subject: string | null; detail: Record<string, unknown> }>('SELECT actor, subject, detail FROM audit_events WHERE action = $1 ORDER BY seq', [action])).rows;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db, { LOGIN_ACCOUNT_LOCK_AFTER: '2' });
      const { accounts, units } = server.app();
      await units.importFile(UNITS);
      adminSub = (await accounts.create(ADMIN)).sub;
      citizenSub = (await accounts.create(CITIZEN)).sub;
      await accounts.create(OTHER);
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      ({ person: admin } = await logIn(ADMIN));
      const robot = await addClient(server, { client_id: 'ops-robot-2', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid', admin_api: true });
      apiToken = () => adminApiToken(server.url, robot);
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    test('/admin is a menu of the areas, and keeps its own sections', async () => {
      const page = await admin.follow('/admin?lang=en');
      assert.equal(page.res.status, 200);
      for (const href of ['/admin/accounts', '/admin/roles', '/admin/deletion-requests', '/admin/audit-log', '/admin/relying-parties']) assert.ok(page.body.includes(`href="${href}?lang=en"`), href);
      assert.match(page.body, /id="people"/);
      assert.match(page.body, /id="audit"/);
    });

    test('the audit log: filtered, searched by person with a reason, paged by seq, and its chain sound', async () => {
      let page = await admin.follow('/admin/audit-log?actor=operator%3Asomchai&lang=en');
      assert.equal(page.res.status, 200);
      assert.match(page.body, /The hash chain is sound: \d+ entries checked/);
      assert.match(page.body, /Role granted|ได้รับแต่งตั้งบทบาท|role/i);
      assert.doesNotMatch(page.body, /Account created/);
      const bad = await admin.follow('/admin/audit-log?from=2026-02-30');
      assert.equal(bad.res.status, 400, 'an impossible day is refused');

      page = await admin.submit('/admin/audit-log/person', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, reason: '' });
      assert.equal(page.res.status, 400, 'a reason is required');
      page = await admin.submit('/admin/audit-log/person', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, reason: 'complaint 12' });
      assert.equal(page.res.status, 200);
      assert.ok(page.body.includes(`value="${citizenSub}"`), 'filtered by the sub');
      assert.ok(!page.body.includes(CITIZEN.pid), 'the ID number is not shown back');
      const searches = (await events('admin.audit_search')).filter((e) => e.subject === citizenSub);
      assert.equal(searches.length, 1);
      assert.equal(searches[0]!.detail.reason, 'complaint 12');

      // keyset paging through the API: each page strictly older than the last
      const first = await api('/v1/audit-events?limit=2');
      assert.equal(first.status, 200);
      const items = first.body!.items as Array<{ seq: number }>;
      assert.equal(items.length, 2);
      assert.ok(items[0]!.seq > items[1]!.seq);
      const second = await api(`/v1/audit-events?limit=2&before=${first.body!.next_before}`);
      assert.ok((second.body!.items as Array<{ seq: number }>)[0]!.seq < items[1]!.seq);
      assert.equal((await api('/v1/audit-events?unit=abc')).status, 400);
    });

    test('the CSV export: a header row, the sub for the person, no ID number, and audited', async () => {
      // an event whose detail carries an ID number is masked in the export
      await server.db.query(`INSERT INTO audit_events (actor, action, subject, detail) VALUES ('operator:x', 'test.note', $1, $2)`, [citizenSub, JSON.stringify({ reason: `called about ${CITIZEN.pid}` })]);
      const res = await admin.request(`/admin/audit-log/export.csv?subject=${citizenSub}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
      const text = await res.text();
      const lines = text.trim().split('\r\n');
      assert.equal(lines[0], 'seq,at,actor,action,subject,unit,client_id,reason,detail');
      assert.ok(lines.length >= 3);
      assert.ok(text.includes(citizenSub));
      assert.ok(!text.includes(CITIZEN.pid), 'no ID number in plain text');
      assert.ok(!text.includes(ADMIN.pid));
      assert.equal((await events('admin.audit_exported')).length, 1);
      const viaApi = await api('/v1/audit-events.csv?action=role.');
      assert.equal(viaApi.status, 200);
      assert.ok(viaApi.text.startsWith('seq,at,actor'));
    });

    test('an account: found with a reason, its levels and authenticators without secrets, unlocked, sessions ended, second factors removed', async () => {
      const { authenticators } = server.app();
      await authenticators.recovery.generate(citizenSub);
      // the citizen fails twice: the account is locked
      const citizen = new Person(server.url);
      let c = await citizen.follow('/admin');
      for (let i = 0; i < 2; i++) c = await citizen.submit(Person.action(c.body, '/login'), { csrf: Person.csrf(c.body), pid: CITIZEN.pid, password: 'wrong password here' });

      let page = await admin.follow('/admin/accounts?lang=en');
      page = await admin.submit('/admin/accounts/find?lang=en', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, reason: '' });
      assert.equal(page.res.status, 400);
      page = await admin.submit('/admin/accounts/find?lang=en', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, reason: 'helpdesk ticket 9' });
      assert.equal(page.res.status, 200);
      assert.ok(page.url.includes(`/admin/accounts/${citizenSub}`));
      assert.match(page.body, /Locked until/);
      assert.match(page.body, /Recovery codes left: 10/);
      assert.ok(!page.body.includes(CITIZEN.pid), 'the ID number masked');
      assert.equal((await events('admin.person_search')).filter((e) => e.subject === citizenSub && e.detail.reason === 'helpdesk ticket 9').length, 1);

      const sentBefore = (await outbox(phone(CITIZEN.phone_number))).length;
      page = await admin.submit(`/admin/accounts/${citizenSub}/unlock?lang=en`, { csrf: Person.csrf(page.body), unlock_reason: 'called the helpdesk' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /Unlocked\. The person was told by SMS/);
      assert.match(page.body, /Not locked/);
      assert.equal((await outbox(phone(CITIZEN.phone_number))).length, sentBefore + 1, 'the person is told');
      // the citizen can log in again (and has a session now)
      const back = await logIn(CITIZEN, citizen);
      assert.equal(back.page.res.status, 403, 'logged in, not an administrator');

      const overview = await api(`/v1/accounts/${citizenSub}`);
      assert.equal(overview.status, 200);
      assert.ok(!/secret|password_hash|cipher|code_hash/.test(overview.text), 'no secrets');
      assert.ok(!overview.text.includes(CITIZEN.pid));
      assert.equal((overview.body!.sessions as unknown[]).length, 1);
      assert.equal((await api(`/v1/accounts/${citizenSub}/unlock`, { method: 'POST', body: { reason: 'again' } })).status, 409, 'not locked');
      // end sessions through the API
      const ended = await api(`/v1/accounts/${citizenSub}/sessions/end`, { method: 'POST', body: { reason: 'stolen laptop' } });
      assert.equal(ended.status, 200);
      assert.equal(ended.body!.ended, 1);
      assert.equal(ended.body!.notified, true);
      assert.equal(((await api(`/v1/accounts/${citizenSub}`)).body!.sessions as unknown[]).length, 0, 'sessions ended');

      page = await admin.follow(`/admin/accounts/${citizenSub}?lang=en`);
      page = await admin.submit(`/admin/accounts/${citizenSub}/second-factors/remove?lang=en`, { csrf: Person.csrf(page.body), factors_reason: 'lost phone' });
      assert.equal(page.res.status, 400, 'the identity check must be named');
      page = await admin.submit(`/admin/accounts/${citizenSub}/second-factors/remove?lang=en`, { csrf: Person.csrf(page.body), check: 'in_person_id_card', factors_reason: 'lost phone' });
      assert.equal(page.res.status, 200);
      assert.equal(await authenticators.recovery.remaining(citizenSub), 0);
      const removed = await events('admin.second_factors_removed');
      assert.equal(removed.length, 1);
      assert.equal(removed[0]!.detail.identity_check, 'in_person_id_card');
      assert.deepEqual(removed[0]!.detail.removed, { authenticator_app: false, passkeys: 0, recovery_codes: 10 });
      assert.match((await outbox(phone(CITIZEN.phone_number)))[0]!.text, /recovery codes/);

    });

    test('nobody unlocks their own account, or removes their own second factors', async () => {
      let page = await admin.follow(`/admin/accounts/${adminSub}?lang=en`);
      assert.equal(page.res.status, 200);
      page = await admin.submit(`/admin/accounts/${adminSub}/unlock?lang=en`, { csrf: Person.csrf(page.body), unlock_reason: 'me' });
      assert.equal(page.res.status, 403);
      assert.match(page.body, /You cannot manage your own account here/);
      page = await admin.submit(`/admin/accounts/${adminSub}/second-factors/remove?lang=en`, { csrf: Person.csrf(page.body), check: 'in_person_id_card', factors_reason: 'me' });
      assert.equal(page.res.status, 403);
      assert.equal((await events('admin.account_unlocked')).filter((e) => e.subject === adminSub).length, 0);
    });

    test('roles: granted and withdrawn with a reason, with history; nobody edits their own; the API cannot make administrators', async () => {
      let page = await admin.follow('/admin/roles?lang=en');
      assert.equal(page.res.status, 200);
      page = await admin.submit('/admin/roles/grant?lang=en', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, role: 'unit_admin', hcode: '10699', reason: '' });
      assert.equal(page.res.status, 400);
      page = await admin.submit('/admin/roles/grant?lang=en', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, role: 'unit_admin', hcode: '10699', reason: 'new director' });
      assert.equal(page.res.status, 200);
      assert.equal(await server.app().units.hasRole(citizenSub, 'unit_admin', '10699'), true);
      assert.ok(page.body.includes(`/admin/accounts/${citizenSub}`));

      // separation of duties
      page = await admin.submit('/admin/roles/grant?lang=en', { csrf: Person.csrf(page.body), pid: ADMIN.pid, role: 'unit_admin', hcode: '10699', reason: 'myself' });
      assert.equal(page.res.status, 403);
      page = await admin.submit('/admin/roles/withdraw?lang=en', { csrf: Person.csrf(page.body), sub: adminSub, role: 'admin', hcode: '', reason: 'stepping down' });
      assert.equal(page.res.status, 403, 'nobody withdraws their own role');
      assert.equal(await server.app().units.hasRole(adminSub, 'admin'), true);

      // the API: an automation acts as an administrator but cannot make one
      const otherSub = (await server.app().accounts.subByPid(OTHER.pid))!;
      assert.equal((await api('/v1/roles/grant', { method: 'POST', body: { sub: otherSub, role: 'admin', reason: 'x' } })).status, 403);
      assert.equal((await api('/v1/roles/grant', { method: 'POST', body: { sub: otherSub, role: 'verifier', hcode: '10699', reason: 'x' } })).status, 400, 'a verifier must be linked personnel');
      assert.equal((await api('/v1/roles/grant', { method: 'POST', body: { sub: otherSub, role: 'unit_admin', hcode: '10699', reason: 'deputy' } })).status, 204);
      assert.equal((await api('/v1/roles/grant', { method: 'POST', body: { sub: otherSub, role: 'unit_admin', hcode: '10699', reason: 'again' } })).status, 409);
      assert.equal((await api('/v1/roles/withdraw', { method: 'POST', body: { sub: otherSub, role: 'unit_admin', hcode: '10699', reason: 'left' } })).status, 204);
      const history = await api(`/v1/roles?sub=${otherSub}`);
      const rows = history.body!.items as Array<{ role: string; granted_by: string; withdrawn_by: string | null; withdraw_reason: string | null }>;
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.granted_by, 'client:ops-robot-2');
      assert.equal(rows[0]!.withdraw_reason, 'left');
      page = await admin.follow('/admin/roles?history=1&lang=en');
      assert.match(page.body, /History of grants and withdrawals/);
      assert.equal((await events('role.withdrawn')).filter((e) => e.subject === otherSub).length, 1);
    });

    test('the coverage roles: a national viewer and a province officer (the province required), in the console and through the API', async () => {
      const otherSub = (await server.app().accounts.subByPid(OTHER.pid))!;
      let page = await admin.follow('/admin/roles?lang=en');
      assert.match(page.body, /<option value="coverage_viewer">/);
      assert.match(page.body, /<option value="province_officer">/);
      page = await admin.submit('/admin/roles/grant?lang=en', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, role: 'province_officer', hcode: '', province: '', reason: 'Sa Kaeo coverage' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /id="province-error"/, 'the refusal beside the province field');
      page = await admin.submit('/admin/roles/grant?lang=en', { csrf: Person.csrf(page.body), pid: CITIZEN.pid, role: 'province_officer', hcode: '', province: '27', reason: 'Sa Kaeo coverage' });
      assert.equal(page.res.status, 200);
      assert.deepEqual(await server.app().units.coverageScope(citizenSub), { national: false, provinces: ['27'] });
      assert.match(page.body, /for province 27/);

      assert.equal((await api('/v1/roles/grant', { method: 'POST', body: { sub: otherSub, role: 'province_officer', reason: 'x' } })).status, 400);
      assert.equal((await api('/v1/roles/grant', { method: 'POST', body: { sub: otherSub, role: 'coverage_viewer', reason: 'the ministry' } })).status, 204);
      assert.deepEqual(await server.app().units.coverageScope(otherSub), { national: true });
      const held = (await api(`/v1/roles?sub=${otherSub}&current=true`)).body!.items as Array<{ role: string }>;
      assert.ok(held.some((r) => r.role === 'coverage_viewer'));
      assert.equal((await api('/v1/roles/withdraw', { method: 'POST', body: { sub: otherSub, role: 'coverage_viewer', reason: 'moved on' } })).status, 204);
      assert.equal((await api('/v1/roles/withdraw', { method: 'POST', body: { sub: citizenSub, role: 'province_officer', province: '27', reason: 'moved on' } })).status, 204);
      assert.deepEqual(await server.app().units.coverageScope(citizenSub), { national: false, provinces: [] });
    });

    test('the hash chain: checked incrementally, and a full check finds an event changed earlier', async () => {
      const full = await api('/v1/audit-chain?full=true');
      assert.equal(full.body!.ok, true);
      assert.equal(full.body!.full, true);
      const quick = await api('/v1/audit-chain');
      assert.equal(quick.body!.ok, true);
      assert.equal(quick.body!.full, false, 'only what was written since');
      // tamper with an early event, behind the append-only trigger's back
      await server.db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
      await server.db.query(`UPDATE audit_events SET detail = '{"reason":"changed"}' WHERE seq = 2`);
      await server.db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change');
      let page = await admin.follow('/admin/audit-log?lang=en');
      page = await admin.submit('/admin/audit-log/verify?lang=en', { csrf: Person.csrf(page.body) });
      assert.match(page.body, /The hash chain is broken at entry 2/);
      assert.equal((await api('/v1/audit-chain')).body!.ok, false);
    });
  });
}
