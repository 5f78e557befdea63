// Deletion requests (PDPA) over HTTP on both databases: a person asks on /account/privacy; an
// administrator reviews it (what goes, what is anonymised, what the law keeps) and carries it out in
// the console; the person is told by SMS, can no longer log in, and the audit log and proofing evidence
// remain; a request of an account holding a role is refused until the role goes; the admin API refuses one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { recordEvidence } from '../../../src/idp/proofing/evidence.ts';
import { verifyAuditChain } from '../../../src/kernel/audit/index.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310100000001'), phone_number: '0861010001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310100000002'), phone_number: '0861010002', phone_verified: true };
const HOLDER = { ...TEST_PERSON, pid: pidWithCheckDigit('310100000003'), phone_number: '0861010003', phone_verified: true };
const phone = (p: string) => `+66${p.slice(1)}`;

for (const target of dbTargets()) {
  describe(`deletion requests on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let citizenSub: string;
    let holderSub: string;

    const outbox = async (to: string) => (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(to)}`)).json()) as Array<{ text: string }>;
    async function logIn(who: typeof ADMIN) {
      const person = new Person(server.url);
      let page = await person.follow('/admin');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const sent = await outbox(phone(who.phone_number));
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: sent[0]!.text.match(/\b(\d{6})\b/)![1]! });
      return person;
    }

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units } = server.app();
      await units.importFile(UNITS);
      await accounts.create(ADMIN);
      citizenSub = (await accounts.create(CITIZEN)).sub;
      holderSub = (await accounts.create(HOLDER)).sub;
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      await server.db.tx((q) => recordEvidence(q, { sub: citizenSub, method: 'register_check', checks: ['register_check'], documents: [], unitHcode: '10699', decision: 'approved' }));
      await server.app().authenticators.recovery.generate(citizenSub);
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    test('asked for on the privacy page, reviewed and carried out in the console, the person told', async () => {
      const citizen = await logIn(CITIZEN);
      let mine = await citizen.follow('/account/privacy');
      assert.equal(mine.res.status, 200);
      mine = await citizen.submit('/account/privacy/delete', { csrf: Person.csrf(mine.body), reason: 'I no longer use it' });
      assert.equal(mine.res.status, 200);

      const recordsOfCitizen = async () => (await server.db.query<{ model: string }>(
        `SELECT DISTINCT model FROM oidc_models WHERE payload ->> 'accountId' = $1 OR grant_id IN (SELECT id FROM oidc_models WHERE model = 'Grant' AND payload ->> 'accountId' = $1) ORDER BY model`, [citizenSub])).rows.map((r) => r.model);
      const issued = await recordsOfCitizen();
      assert.ok(issued.includes('Grant') && issued.includes('Session') && issued.some((m) => m.endsWith('Token') || m === 'AuthorizationCode'), `the citizen holds a session, a grant and tokens: ${issued.join(', ')}`);

      const admin = await logIn(ADMIN);
      let page = await admin.follow('/admin/deletion-requests?lang=en');
      assert.equal(page.res.status, 200);
      const link = /href="(\/admin\/deletion-requests\/\d+)\?lang=en"/.exec(page.body)![1]!;
      page = await admin.follow(`${link}?lang=en`);
      assert.match(page.body, /I no longer use it/);
      assert.match(page.body, /audit_log/);
      assert.match(page.body, /proofing_evidence/);
      page = await admin.submit(`${link}/decide?lang=en`, { csrf: Person.csrf(page.body), decision: 'carry-out', reason: '' });
      assert.equal(page.res.status, 400, 'a reason is required');
      const csrf = Person.csrf(page.body);
      page = await admin.submit(`${link}/decide?lang=en`, { csrf, decision: 'carry-out', reason: 'no retention duty beyond the kept records' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /The deletion was carried out/);
      assert.match(page.body, /id="status">Carried out/);

      const { accounts, authenticators } = server.app();
      assert.equal(await accounts.findByPid(CITIZEN.pid), undefined, 'the ID number no longer finds the account');
      const gone = (await accounts.findBySub(citizenSub))!;
      assert.equal(gone.givenName, '-');
      assert.equal(gone.phoneNumber, null);
      assert.equal(await authenticators.recovery.remaining(citizenSub), 0);
      const tokensOfGrants = await server.db.query(`SELECT 1 FROM oidc_models WHERE payload ->> 'accountId' = $1`, [citizenSub]);
      assert.equal(tokensOfGrants.rows.length, 0, 'no session, grant, code or token of the account is left');
      // kept: the evidence and the audit log, whose chain still verifies
      assert.equal((await server.db.query('SELECT 1 FROM evidence WHERE sub = $1', [citizenSub])).rows.length, 1);
      assert.ok((await server.db.query(`SELECT 1 FROM audit_events WHERE subject = $1 AND action = 'deletion.requested'`, [citizenSub])).rows.length === 1);
      assert.equal((await verifyAuditChain(server.db)).ok, true);
      const sms = await outbox(phone(CITIZEN.phone_number));
      assert.match(sms[0]!.text, /deleted as you asked/);
      // the person cannot log in any more
      const again = new Person(server.url);
      let p = await again.follow('/admin');
      p = await again.submit(Person.action(p.body, '/login'), { csrf: Person.csrf(p.body), pid: CITIZEN.pid, password: CITIZEN.password });
      assert.ok(!p.body.includes('/sms/send'), 'the password no longer logs in');
      // the admin's second try is refused: decided already
      const twice = await admin.submit(`${link}/decide?lang=en`, { csrf, decision: 'refuse', reason: 'x' });
      assert.equal(twice.res.status, 409);
      assert.match(twice.body, /decided already/);
    });

    test('an account holding a role is refused until it goes; the API lists and refuses requests', async () => {
      await server.app().accounts.requestDeletion(holderSub, '', '127.0.0.1');
      await server.app().units.grant({ sub: holderSub, role: 'unit_admin', hcode: '10699', by: 'operator:x', reason: 'test', asAdmin: true });
      const robot = await addClient(server, { client_id: 'ops-robot-3', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid', admin_api: true });
      const tok = await fetch(`${server.url}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${robot.client_id}:${robot.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'admin', resource: `${server.url}/admin/api` }) });
      const token = ((await tok.json()) as { access_token: string }).access_token;
      const api = async (p: string, body?: unknown) => {
        const res = await fetch(`${server.url}/admin/api${p}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const list = await api('/v1/deletion-requests?status=pending');
      const req = (list.body.items as Array<{ id: number; sub: string }>).find((r) => r.sub === holderSub)!;
      assert.ok(req);
      assert.equal((await api(`/v1/deletion-requests/${req.id}/carry-out`, { reason: 'asked' })).status, 409, 'withdraw the role first');
      assert.equal((await api(`/v1/deletion-requests/${req.id}/refuse`, {})).status, 400, 'a reason is required');
      const refused = await api(`/v1/deletion-requests/${req.id}/refuse`, { reason: 'an open fraud investigation' });
      assert.equal(refused.status, 200);
      assert.equal(refused.body.notified, true);
      const shown = await api(`/v1/deletion-requests/${req.id}`);
      assert.equal(shown.body.status, 'refused');
      assert.equal(shown.body.decided_by, 'client:ops-robot-3');
      assert.equal((await api('/v1/deletion-requests/999999')).status, 404);
      assert.ok(await server.app().accounts.findByPid(HOLDER.pid), 'a refused request deletes nothing');
    });

    test('the list shows pending requests first, then the newest, and one status when asked', async () => {
      const { accounts } = server.app();
      const subs = ['order-a', 'order-b', 'order-c', 'order-d'];
      const made = [
        { sub: subs[0], status: 'done', at: '2026-01-05T00:00:00Z' },
        { sub: subs[1], status: 'pending', at: '2026-01-01T00:00:00Z' },
        { sub: subs[2], status: 'refused', at: '2026-01-04T00:00:00Z' },
        { sub: subs[3], status: 'pending', at: '2026-01-02T00:00:00Z' },
      ];
      for (const m of made) await server.db.query('INSERT INTO deletion_requests (sub, status, requested_at) VALUES ($1, $2, $3)', [m.sub, m.status, m.at]);
      const ours = (rows: Array<{ sub: string }>) => rows.map((r) => r.sub).filter((s) => subs.includes(s));
      assert.deepEqual(ours(await accounts.deletionRequests()), ['order-d', 'order-b', 'order-a', 'order-c']);
      assert.deepEqual(ours(await accounts.deletionRequests({ status: 'pending' })), ['order-d', 'order-b']);
      const refused = await accounts.deletionRequests({ status: 'refused' });
      assert.deepEqual(ours(refused), ['order-c']);
      assert.ok((await accounts.deletionRequests({ status: 'done' })).every((r) => r.status === 'done'));
      const one = refused.find((r) => r.sub === 'order-c')!;
      assert.deepEqual((await accounts.deletionRequests({ id: one.id })).map((r) => r.sub), ['order-c']);
    });
  });
}
