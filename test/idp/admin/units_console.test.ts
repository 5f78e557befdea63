// The console's service units and service points, over HTTP on both databases, in the console and
// through the admin API (one set of rules, src/idp/admin/units): units found by code, name and province,
// service points only; a unit's page shows who serves there and its card readers; a service point opened
// and closed with a reason (audited with it), refused without one or when already so; non-admins 403.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { generateKeyPair, exportJWK } from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { adminApiToken, logInToConsole, smsTo } from '../../helpers/admin_console.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000001'), phone_number: '0861200001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000002'), phone_number: '0861200002', phone_verified: true };
const phone = (p: string) => `+66${p.slice(1)}`;

for (const target of dbTargets()) {
  describe(`the console's service units and service points on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let admin: Person;
    let citizenSub: string;
    let apiToken: () => Promise<string>;

    const outbox = (to: string) => smsTo(server.url, to);
    const logIn = (who: typeof ADMIN, person = new Person(server.url), start = '/admin') => logInToConsole(server.url, who, { person, start: start });
    const api = async (p: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await fetch(`${server.url}/admin/api${p}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${await apiToken()}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const events = async (action: string) =>
      (await server.db.query<{ actor: string; detail: Record<string, unknown> }>('SELECT actor, detail FROM audit_events WHERE action = $1 ORDER BY seq', [action])).rows;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units, cardAgents } = server.app();
      await units.importFile(UNITS);
      await accounts.create(ADMIN);
      citizenSub = (await accounts.create(CITIZEN)).sub;
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      await units.grant({ sub: citizenSub, role: 'unit_admin', hcode: '13836', by: 'operator:somchai', reason: 'director', asAdmin: true });
      const { publicKey } = await generateKeyPair('ES256');
      await cardAgents.register({ hcode: '13836', jwk: await exportJWK(publicKey), name: 'Counter 1', by: 'operator:somchai' });
      ({ person: admin } = await logIn(ADMIN));
      const robot = await addClient(server, { client_id: 'ops-robot-units', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid', admin_api: true });
      apiToken = () => adminApiToken(server.url, robot);
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    test('the units are found by code, by name and by province, service points only on request', async () => {
      const menu = await admin.follow('/admin?lang=en');
      assert.ok(menu.body.includes('href="/admin/units?lang=en"'), 'in the menu');
      let page = await admin.follow('/admin/units?lang=en');
      assert.equal(page.res.status, 200);
      for (const hcode of ['03975', '10699', '10700', '13836']) assert.ok(page.body.includes(`<code>${hcode}</code>`), hcode);
      page = await admin.follow('/admin/units?search=Watthana&lang=en');
      assert.match(page.body, /Watthana Nakhon Hospital/);
      assert.doesNotMatch(page.body, /<code>10699<\/code>/);
      assert.match(page.body, /1 \/ 0 \/ 1/, 'one unit administrator, no verifier, one card reader');
      page = await admin.follow('/admin/units?search=1069&lang=en');
      assert.ok(page.body.includes('<code>10699</code>') && !page.body.includes('<code>13836</code>'), "a code's beginning");
      page = await admin.follow(`/admin/units?search=${encodeURIComponent('100%')}&lang=en`);
      assert.match(page.body, /No unit found/, 'a % is a character, not a wildcard');
      page = await admin.follow(`/admin/units?province=${encodeURIComponent('สระแก้ว')}&service_points=1&lang=en`);
      assert.match(page.body, /No unit found/, 'no service point yet');
    });

    test("a unit's page: who serves there, its card reader, and the service point opened and closed with a reason", async () => {
      let page = await admin.follow('/admin/units/13836?lang=en');
      assert.equal(page.res.status, 200);
      assert.match(page.body, /Unit administrator/i);
      assert.ok(page.body.includes(`title="${citizenSub}"`));
      assert.match(page.body, /Counter 1: never used yet/);
      const noReason = await admin.submit('/admin/units/13836/service-point?lang=en', { csrf: Person.csrf(page.body), service_point: 'on', reason: '' });
      assert.equal(noReason.res.status, 400);
      assert.match(noReason.body, /role="alert"[\s\S]*Reason: Give a reason/);
      assert.equal(await server.app().units.isServicePoint('13836'), false);
      page = await admin.submit('/admin/units/13836/service-point?lang=en', { csrf: Person.csrf(noReason.body), service_point: 'on', reason: 'digital ID counter opens' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /Unit 13836 is now a Digital ID service point/);
      assert.equal(await server.app().units.isServicePoint('13836'), true);
      assert.match(page.body, /Close the Digital ID service point/);
      const on = await events('unit.service_point_on');
      assert.equal(on.at(-1)!.detail.reason, 'digital ID counter opens');
      const forged = await admin.submit('/admin/units/13836/service-point', { csrf: 'x.y', service_point: 'off', reason: 'forged' });
      assert.equal(forged.res.status, 403);
      assert.equal(await server.app().units.isServicePoint('13836'), true);
      page = await admin.follow(`/admin/units?service_points=1&lang=en`);
      assert.ok(page.body.includes('<code>13836</code>') && !page.body.includes('<code>10699</code>'));
      page = await admin.follow('/admin/units/13836?lang=th');
      page = await admin.submit('/admin/units/13836/service-point?lang=th', { csrf: Person.csrf(page.body), service_point: 'off', reason: 'ย้ายจุดบริการ' });
      assert.match(page.body, /ปิดจุดบริการ Digital ID ที่หน่วยบริการ 13836 แล้ว/);
      assert.equal(await server.app().units.isServicePoint('13836'), false);
      assert.equal((await admin.follow('/admin/units/99999')).res.status, 404);
      assert.equal((await admin.follow('/admin/units/abc')).res.status, 404);
    });

    test('the admin API: the same search, the same rule, audited as the client', async () => {
      const list = await api('/v1/units?search=Aranya');
      assert.equal(list.status, 200);
      assert.deepEqual((list.body.items as Array<{ hcode: string }>).map((u) => u.hcode), ['10700']);
      const one = await api('/v1/units/13836');
      assert.equal(one.status, 200);
      assert.equal(one.body.card_agents, 1);
      assert.deepEqual((one.body.roles as Array<{ sub: string; role: string }>).map((r) => [r.sub, r.role]), [[citizenSub, 'unit_admin']]);
      assert.equal((await api('/v1/units/10700/service-point', { method: 'POST', body: { service_point: true } })).status, 400, 'no reason');
      assert.equal((await api('/v1/units/10700/service-point', { method: 'POST', body: { service_point: 'yes', reason: 'x' } })).status, 400);
      const opened = await api('/v1/units/10700/service-point', { method: 'POST', body: { service_point: true, reason: 'border checkpoint clinic' } });
      assert.equal(opened.status, 200);
      assert.equal(opened.body.service_point, true);
      const again = await api('/v1/units/10700/service-point', { method: 'POST', body: { service_point: true, reason: 'again' } });
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'conflict');
      assert.equal((await api('/v1/units/99999')).status, 404);
      assert.equal((await api('/v1/units/12')).status, 404);
      const on = await events('unit.service_point_on');
      assert.deepEqual([on.at(-1)!.actor, on.at(-1)!.detail.hcode, on.at(-1)!.detail.reason], ['client:ops-robot-units', '10700', 'border checkpoint clinic']);
      const doc = (await (await fetch(`${server.url}/admin/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
      for (const p of ['/v1/units', '/v1/units/{hcode}', '/v1/units/{hcode}/service-point']) assert.ok(doc.paths[p], p);
    });

    test('someone who is not an administrator gets 403', async () => {
      const { person } = await logIn(CITIZEN, new Person(server.url), '/admin/units');
      assert.equal((await person.follow('/admin/units')).res.status, 403);
      assert.equal((await person.follow('/admin/units/13836')).res.status, 403);
    });
  });
}
