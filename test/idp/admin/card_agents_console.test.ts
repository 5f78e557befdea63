// The console's card reader agents area over HTTP on both databases, in the console and through the
// admin API (one set of rules): two agents at two units are listed with their units, filtered by unit
// and state; revoking without a reason is refused beside the field (400), with a reason it is done,
// audited with the reason, and the agent's client_credentials token request fails from then on; a
// person who is not an administrator and a client without admin_api are refused (403).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { adminApiToken, logInToConsole, smsTo } from '../../helpers/admin_console.ts';
import { Person } from '../../helpers/person.ts';
import { agentKey, agentToken, type AgentKey } from '../../helpers/card_agent.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { addResourceServer } from '../../../src/idp/oidc/resource_servers.ts';

const UNITS = path.resolve(import.meta.dirname, '../../../samples/units.csv');
const AUDIENCE = 'https://authencode.example.test/api';
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000001'), phone_number: '0861200001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000002'), phone_number: '0861200002', phone_verified: true };
const phone = (p: string) => `+66${p.slice(1)}`;

for (const target of dbTargets()) {
  describe(`the console's card reader agents on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let admin: Person;
    let adminSub: string;
    let token: (id: string, secret: string) => Promise<string>;
    let robot: { client_id: string; client_secret?: string };
    const agents: Array<{ id: string; key: AgentKey; hcode: string }> = [];

    const outbox = (to: string) => smsTo(server.url, to);
    const logIn = (who: typeof ADMIN, person = new Person(server.url)) => logInToConsole(server.url, who, { person });
    const api = async (p: string, init: { method?: string; body?: unknown; bearer?: string } = {}) => {
      const res = await fetch(`${server.url}/admin/api${p}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${init.bearer ?? (await token(robot.client_id, robot.client_secret!))}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const revokedEvents = async (id: string) =>
      (await server.db.query<{ actor: string; detail: Record<string, unknown> }>("SELECT actor, detail FROM audit_events WHERE action = 'agent.revoked' AND detail->>'agent' = $1 ORDER BY seq", [id])).rows;
    const tokenRefused = (a: { id: string; key: AgentKey }) => assert.rejects(agentToken(server.url, a.id, a.key, AUDIENCE), (err: oidc.ResponseBodyError) => err.error === 'invalid_client');

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units, cardAgents } = server.app();
      await units.importFile(UNITS);
      await addResourceServer(server.db, { identifier: AUDIENCE, scope: 'authencode' });
      adminSub = (await accounts.create(ADMIN)).sub;
      await accounts.create(CITIZEN);
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      for (const [hcode, name] of [['10699', 'Counter A'], ['13836', 'Counter B'], ['13836', 'Counter C']] as const) {
        const key = await agentKey();
        const { agentId } = await cardAgents.register({ hcode, jwk: key.publicJwk, name, version: '1.2.0', by: 'operator:somchai' });
        agents.push({ id: agentId, key, hcode });
      }
      ({ person: admin } = await logIn(ADMIN));
      robot = await addClient(server, { client_id: 'ops-robot-agents', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid', admin_api: true });
      token = (id, secret) => adminApiToken(server.url, { client_id: id, client_secret: secret });
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    test('the menu links the area; the list shows every unit’s agents and filters by unit and state', async () => {
      const menu = await admin.follow('/admin?lang=en');
      assert.ok(menu.body.includes('href="/admin/card-agents?lang=en"'));
      const all = await admin.follow('/admin/card-agents?lang=en');
      assert.equal(all.res.status, 200);
      for (const a of agents) assert.ok(all.body.includes(a.id), a.id);
      assert.match(all.body, /10699/);
      assert.match(all.body, /13836 โรงพยาบาลวัฒนานคร/);
      assert.match(all.body, /version 1\.2\.0/);
      assert.match(all.body, /Not seen yet/);
      const one = await admin.follow('/admin/card-agents?lang=en&hcode=13836');
      assert.ok(!one.body.includes(agents[0]!.id));
      assert.ok(one.body.includes(agents[1]!.id) && one.body.includes(agents[2]!.id));
      const revoked = await admin.follow('/admin/card-agents?lang=en&state=revoked');
      assert.match(revoked.body, /No card reader agent matches/);
      const bad = await admin.follow('/admin/card-agents?lang=en&hcode=12');
      assert.equal(bad.res.status, 400);
      assert.match(bad.body, /<span class="field-error" id="hcode-error">A unit code is 5 digits<\/span>/);
    });

    test('revoking in the console: a reason is required beside the field; then audited, and the agent gets no token', async () => {
      const a = agents[0]!;
      await agentToken(server.url, a.id, a.key, AUDIENCE);
      let page = await admin.follow('/admin/card-agents?lang=en');
      assert.match(page.body, /Not seen yet/, 'the other agents');
      const noCsrf = await admin.submit(`/admin/card-agents/${a.id}/revoke?lang=en`, { reason: 'stolen' });
      assert.equal(noCsrf.res.status, 403);
      page = await admin.submit(`/admin/card-agents/${a.id}/revoke?lang=en`, { csrf: Person.csrf(page.body), reason: '  ' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, new RegExp(`<span class="field-error" id="reason-${a.id}-error">Give a reason</span>`));
      assert.match(page.body, new RegExp(`href="#reason-${a.id}"`), 'in the error summary');
      assert.equal((await revokedEvents(a.id)).length, 0);

      page = await admin.submit(`/admin/card-agents/${a.id}/revoke?lang=en`, { csrf: Person.csrf(page.body), reason: 'PC stolen, ticket 42' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, new RegExp(`Card reader agent ${a.id} revoked`));
      assert.match(page.body, /Revoked .* by /);
      const events = await revokedEvents(a.id);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.actor, adminSub);
      assert.equal(events[0]!.detail.reason, 'PC stolen, ticket 42');
      assert.equal(events[0]!.detail.hcode, '10699');
      await tokenRefused(a);

      const again = await admin.submit(`/admin/card-agents/${a.id}/revoke?lang=en`, { csrf: Person.csrf(page.body), reason: 'again' });
      assert.equal(again.res.status, 409);
      assert.match(again.body, /already revoked/);
      const listed = await admin.follow('/admin/card-agents?lang=en&state=revoked');
      assert.ok(listed.body.includes(a.id));
      assert.ok(!listed.body.includes(agents[1]!.id));
    });

    test('the admin API lists, filters and revokes with a reason on the same rules', async () => {
      const list = await api('/v1/card-agents');
      assert.equal(list.status, 200);
      const items = list.body!.items as Array<{ id: string; hcode: string; unit_name: string; state: string; version: string; registered_at: string; revoked_at: string | null }>;
      assert.deepEqual(new Set(items.map((i) => i.id)), new Set(agents.map((a) => a.id)));
      assert.equal(items.find((i) => i.id === agents[1]!.id)!.unit_name, 'โรงพยาบาลวัฒนานคร');
      const unit = (await api('/v1/card-agents?hcode=13836&state=active')).body!.items as Array<{ id: string; state: string }>;
      assert.deepEqual(unit.map((i) => i.state), ['active', 'active']);
      assert.deepEqual(new Set(unit.map((i) => i.id)), new Set([agents[1]!.id, agents[2]!.id]));
      const badState = await api('/v1/card-agents?state=gone');
      assert.equal(badState.status, 400);
      assert.equal(badState.body!.error, 'invalid_request');
      assert.equal((await api('/v1/card-agents?hcode=10699&hcode=13836')).status, 400, 'a filter given twice');

      const b = agents[1]!;
      await agentToken(server.url, b.id, b.key, AUDIENCE);
      const noReason = await api(`/v1/card-agents/${b.id}/revoke`, { method: 'POST', body: {} });
      assert.equal(noReason.status, 400);
      assert.match(String(noReason.body!.error_description), /reason/);
      const done = await api(`/v1/card-agents/${b.id}/revoke`, { method: 'POST', body: { reason: 'unit closed' } });
      assert.equal(done.status, 204);
      const events = await revokedEvents(b.id);
      assert.deepEqual([events[0]!.actor, events[0]!.detail.reason], ['client:ops-robot-agents', 'unit closed']);
      await tokenRefused(b);
      assert.equal((await api(`/v1/card-agents/${b.id}/revoke`, { method: 'POST', body: { reason: 'again' } })).status, 409);
      assert.equal((await api('/v1/card-agents/agent-0000000000000000/revoke', { method: 'POST', body: { reason: 'x' } })).status, 404);
      const doc = (await (await fetch(`${server.url}/admin/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
      assert.ok(doc.paths['/v1/card-agents'] && doc.paths['/v1/card-agents/{id}/revoke']);
    });

    test('a person who is not an administrator and a client without admin_api get 403', async () => {
      const { person: citizen } = await logIn(CITIZEN);
      const page = await citizen.follow('/admin/card-agents?lang=en');
      assert.equal(page.res.status, 403);
      assert.match(page.body, /Your account is not an administrator/);
      const c = agents[2]!;
      const form = await citizen.follow('/account?lang=en');
      const post = await citizen.submit(`/admin/card-agents/${c.id}/revoke?lang=en`, { csrf: Person.csrf(form.body), reason: 'not mine' });
      assert.equal(post.res.status, 403);
      assert.match(post.body, /Your account is not an administrator/, 'the not-an-administrator page, not a CSRF refusal');
      const plain = await addClient(server, { grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid' });
      const bearer = await token(plain.client_id, plain.client_secret!);
      assert.equal((await api('/v1/card-agents', { bearer })).status, 403);
      assert.equal((await api(`/v1/card-agents/${c.id}/revoke`, { method: 'POST', body: { reason: 'x' }, bearer })).status, 403);
      assert.equal((await revokedEvents(c.id)).length, 0);
      await agentToken(server.url, c.id, c.key, AUDIENCE);
    });
  });
}
