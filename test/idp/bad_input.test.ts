// Issue 11's bad input at the IdP, each a 4xx with a message and nothing in the error log: NUL at
// oidc-provider's endpoints (an OIDC error object) and in the account, admin and verifier forms (an
// error page); ids that are not ids, and days that do not exist, at the admin and verifier pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { dbTargets } from '../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../helpers/server.ts';
import { Person } from '../helpers/person.ts';
import { seedVerifierAtUnit } from '../helpers/proofing.ts';
import { logInThrough } from '../helpers/login_walk.ts';
import type { RunningServer } from '../../src/idp/server.ts';
import { createLogger } from '../../src/kernel/http/log.ts';
import { recordEvidence } from '../../src/idp/proofing/evidence.ts';

const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000001'), phone_number: '0861200001', phone_verified: true };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const target of dbTargets()) {
  describe(`bad input at the IdP on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let citizen: Person;
    let doctor: Person;
    let evidenceId: number;
    const logLines: string[] = [];

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      const sink = new Writable({
        write(chunk, _enc, cb) {
          logLines.push(String(chunk));
          cb();
        },
      });
      server = await startTestServer(made.db, {}, createLogger('info', sink));
      await seedVerifierAtUnit(server);
      const { accounts, units } = server.app();
      await units.bootstrapAdmin({ pid: TEST_PERSON.pid, operator: 'somchai', reason: 'first admin' });
      const sub = (await accounts.create(CITIZEN)).sub;
      evidenceId = await server.db.tx((q) => recordEvidence(q, { sub, method: 'register_check', checks: ['register_check'], documents: [], unitHcode: '10699', decision: 'approved' }));
      citizen = new Person(server.url);
      await logInThrough(citizen, server.url, `${server.url}/account`, CITIZEN, `${server.url}/account`);
      doctor = new Person(server.url);
      await logInThrough(doctor, server.url, `${server.url}/admin`, TEST_PERSON, `${server.url}/admin`);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const csrfOf = async (person: Person, page: string) => Person.csrf((await person.follow(page)).body);
    const submit = (person: Person, path: string, fields: Record<string, string>) =>
      person.request(path, { method: 'POST', headers: FORM, body: new URLSearchParams(fields).toString() });

    test("oidc-provider's endpoints answer NUL and non-UTF-8 text with an OIDC error object", async () => {
      const requests: Array<[string, RequestInit?]> = [
        ['/auth?client_id=a%00b&response_type=code&scope=openid'],
        ['/auth?client_id=%FF%FE'],
        ['/session/end?state=a%00b'],
        ['/me', { method: 'POST', headers: FORM, body: 'access_token=a%00b' }],
        ['/token/introspection', { method: 'POST', headers: FORM, body: 'token=a%00b' }],
        ['/token/revocation', { method: 'POST', headers: FORM, body: 'token=a%00b' }],
        ['/token', { method: 'POST', headers: FORM, body: 'grant_type=client_credentials&client_id=a%00b&client_secret=x' }],
      ];
      for (const [path, init] of requests) {
        const res = await fetch(`${server.url}${path}`, init);
        assert.equal(res.status, 400, path);
        const body = (await res.json()) as { error: string; error_description: string };
        assert.equal(body.error, 'invalid_request', path);
        assert.match(body.error_description, /NUL character or bytes that are not UTF-8/, path);
      }
    });

    test('a NUL in a name or a reason on the account, admin and verifier pages is a 400 page', async () => {
      const cases: Array<[Person, string, string, Record<string, string>]> = [
        [citizen, '/account', '/account/profile', { given_name: 'สม\0หญิง', family_name: 'x' }],
        [doctor, '/admin', '/admin/evidence', { evidence_pid: CITIZEN.pid, evidence_reason: 'fraud\0' }],
        [doctor, '/admin', '/admin/unit-admin', { ua_pid: CITIZEN.pid, ua_hcode: '10699', ua_reason: 'a\0b' }],
        [doctor, '/verifier', '/verifier/search', { unit: '10699', pid: CITIZEN.pid, reason: 'walk-in\0' }],
      ];
      for (const [person, page, action, fields] of cases) {
        const res = await submit(person, action, { csrf: await csrfOf(person, page), ...fields });
        assert.equal(res.status, 400, action);
        assert.match(res.headers.get('content-type')!, /html/);
        assert.match(await res.text(), /คำขอไม่ถูกต้อง/, `${action}: the page says the request is not valid`);
      }
      assert.equal((await server.app().accounts.findByPid(CITIZEN.pid))!.givenName, CITIZEN.given_name, 'nothing was saved');
    });

    test('evidence and queue ids that are not ids are not found; a day that does not exist is refused', async () => {
      const csrf = await csrfOf(doctor, '/admin');
      for (const id of ['abc', '1e309', '-1', '1.5', '99999999999999999999']) {
        const res = await submit(doctor, `/admin/evidence/${id}/revoke`, { csrf, reason: 'fraud report' });
        assert.equal(res.status, 404, id);
        assert.match(await res.text(), /ไม่พบหน้าที่ต้องการ/);
      }
      for (const id of ['abc', '1e309']) {
        const res = await submit(doctor, `/verifier/queue/${id}`, { csrf: await csrfOf(doctor, '/verifier'), unit: '10699', decision: 'approve', reason: 'ok' });
        assert.equal(res.status, 404, id);
      }
      for (const id of ['abc', '1e309']) assert.equal((await doctor.request(`/verifier/photo/${id}/face`)).status, 404, id);
      const audit = await submit(doctor, '/admin/audit', { csrf, from: '2026-02-30' });
      assert.equal(audit.status, 400);
      assert.match(await audit.text(), /YYYY-MM-DD/);
      assert.equal((await submit(doctor, '/admin/audit', { csrf, from: '2026-02-28', to: '2026-03-01' })).status, 200, 'real days still filter');
      const revoked = await submit(doctor, `/admin/evidence/${evidenceId}/revoke`, { csrf, reason: 'fraud report' });
      assert.equal(revoked.status, 200, 'a real id still works');
    });

    test('none of it reached the error log', () => {
      const all = logLines.join('');
      assert.ok(all.includes('"msg":"request"'), 'requests are logged');
      assert.doesNotMatch(all, /"level":50/, 'no error was logged');
      for (const sent of ['\\u0000', 'walk-in', 'สม']) assert.ok(!all.includes(sent), `${sent} is not in the log`);
    });
  });
}
