// The console's resource servers over HTTP on both databases, in the console and through the admin API
// (one set of rules): one registered in the console receives JWT access tokens for its audience from a
// client-credentials grant with resource=; an invalid identifier is refused beside its field; disabled,
// the token endpoint answers invalid_target for it, enabled again it works; the IdP's own two (the
// admin API, the coverage API) are refused (409); every change audited with before and after;
// someone who is not an administrator gets 403.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { adminApiToken, logInToConsole, smsTo } from '../../helpers/admin_console.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000001'), phone_number: '0861200001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310120000002'), phone_number: '0861200002', phone_verified: true };
const phone = (p: string) => `+66${p.slice(1)}`;
const insecure = { execute: [oidc.allowInsecureRequests] };
const RS = 'https://lab-results.example.test/api';
const rsPath = (id: string) => `/admin/resource-servers/${encodeURIComponent(id)}`;

for (const target of dbTargets()) {
  describe(`the console's resource servers on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let admin: Person;
    let rp: oidc.Configuration;
    let apiToken: () => Promise<string>;

    const outbox = (to: string) => smsTo(server.url, to);
    const logIn = (who: typeof ADMIN, person = new Person(server.url), path = '/admin') => logInToConsole(server.url, who, { person, start: path });
    const api = async (p: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
      const res = await fetch(`${server.url}/admin/api${p}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${init.token ?? (await apiToken())}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const events = async (action: string) =>
      (await server.db.query<{ actor: string; detail: Record<string, unknown> }>('SELECT actor, detail FROM audit_events WHERE action = $1 ORDER BY seq', [action])).rows;
    const grant = (resource: string, scope: string) => oidc.clientCredentialsGrant(rp, { resource, scope });

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units } = server.app();
      await accounts.create(ADMIN);
      await accounts.create(CITIZEN);
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      ({ person: admin } = await logIn(ADMIN));
      const lab = await addClient(server, { client_id: 'lab-system', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), lab.client_id, lab.client_secret, undefined, insecure);
      const robot = await addClient(server, { client_id: 'ops-robot-rs', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid', admin_api: true });
      apiToken = () => adminApiToken(server.url, robot);
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    test('the menu names the area; the list shows the built-in two', async () => {
      const menu = await admin.follow('/admin?lang=en');
      assert.ok(menu.body.includes('href="/admin/resource-servers?lang=en"'));
      const page = await admin.follow('/admin/resource-servers?lang=en');
      assert.equal(page.res.status, 200);
      assert.ok(page.body.includes(`<code>${server.url}/admin/api</code>`));
      assert.ok(page.body.includes(`<code>${server.url}/api/coverage</code>`));
      assert.equal(page.body.match(/Built in/g)?.length, 2);
    });

    test('registered in the console, it receives JWT access tokens with its audience; an invalid identifier is refused beside its field', async () => {
      let page = await admin.follow('/admin/resource-servers?lang=en');
      page = await admin.submit('/admin/resource-servers?lang=en', { csrf: Person.csrf(page.body), identifier: 'not a uri', scope: 'lab.read', access_token_ttl: '600', signing_alg: 'ES256' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /<span class="field-error" id="identifier-error">The identifier must be an absolute URI/);
      assert.match(page.body, /class="error error-summary"[\s\S]*href="#identifier"/, 'listed in the summary');
      assert.match(page.body, /value="not a uri"/, 'kept as typed');
      page = await admin.submit('/admin/resource-servers?lang=en', { csrf: Person.csrf(page.body), identifier: RS, scope: 'lab.read', access_token_ttl: '30', signing_alg: 'ES256' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /id="access_token_ttl-error"/);
      page = await admin.submit('/admin/resource-servers?lang=th', { csrf: Person.csrf(page.body), identifier: `${RS}#x`, scope: 'lab.read', access_token_ttl: '600', signing_alg: 'ES256' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /id="identifier-error">ตัวระบุต้องเป็น URI แบบเต็ม/, 'in Thai, a fragment refused');

      page = await admin.submit('/admin/resource-servers?lang=en', { csrf: Person.csrf(page.body), identifier: RS, scope: 'lab.read  lab.write', access_token_ttl: '600', signing_alg: 'ES256' });
      assert.equal(page.res.status, 201);
      assert.match(page.body, /The resource server is registered/);
      page = await admin.submit('/admin/resource-servers?lang=en', { csrf: Person.csrf(page.body), identifier: RS, scope: 'lab.read', access_token_ttl: '600', signing_alg: 'ES256' });
      assert.equal(page.res.status, 409, 'registered already');
      assert.match(page.body, /id="identifier-error">This identifier is registered already/);

      const tokens = await grant(RS, 'lab.read');
      const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jose.createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!)), { issuer: server.url, audience: RS });
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.equal(payload.scope, 'lab.read');
      assert.equal(payload.exp! - payload.iat!, 600);
      const registered = await events('resource_server.registered');
      assert.equal(registered.length, 1);
      assert.equal(registered[0]!.actor, (await server.app().accounts.subByPid(ADMIN.pid))!);
      assert.deepEqual(registered[0]!.detail, { identifier: RS, after: { scope: 'lab.read lab.write', access_token_ttl: 600, signing_alg: 'ES256' } });
    });

    test('edited, disabled (the token endpoint answers invalid_target) and enabled again, each with its audit event', async () => {
      let page = await admin.follow(`${rsPath(RS)}?lang=en`);
      assert.equal(page.res.status, 200);
      page = await admin.submit(`${rsPath(RS)}?lang=en`, { csrf: Person.csrf(page.body), scope: 'lab.read', access_token_ttl: '300', signing_alg: 'PS256' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /Changes saved/);
      const updated = await events('resource_server.updated');
      assert.deepEqual(updated.at(-1)!.detail, { identifier: RS, before: { scope: 'lab.read lab.write', access_token_ttl: 600, signing_alg: 'ES256' }, after: { scope: 'lab.read', access_token_ttl: 300, signing_alg: 'PS256' } });
      // a scope taken away is no longer given
      const narrowed = jose.decodeJwt((await grant(RS, 'lab.read lab.write')).access_token);
      assert.equal(narrowed.scope, 'lab.read');
      assert.equal(jose.decodeProtectedHeader((await grant(RS, 'lab.read')).access_token).alg, 'PS256');

      page = await admin.submit(`${rsPath(RS)}/disable?lang=en`, { csrf: Person.csrf(page.body), reason: '' });
      assert.equal(page.res.status, 400, 'a reason is required');
      assert.match(page.body, /id="reason-error">Give a reason/);
      page = await admin.submit(`${rsPath(RS)}/disable?lang=en`, { csrf: Person.csrf(page.body), reason: 'lab system retired' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /Disabled: no token is issued for it now/);
      await assert.rejects(grant(RS, 'lab.read'), (e: oidc.ResponseBodyError) => e.error === 'invalid_target');
      page = await admin.submit(`${rsPath(RS)}/disable?lang=en`, { csrf: Person.csrf(page.body), reason: 'again' });
      assert.equal(page.res.status, 409, 'disabled already');
      const disabled = await events('resource_server.disabled');
      assert.equal(disabled.length, 1);
      assert.equal(disabled[0]!.detail.reason, 'lab system retired');

      page = await admin.submit(`${rsPath(RS)}/enable?lang=en`, { csrf: Person.csrf(page.body), reason: 'back in service' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /Enabled again/);
      assert.ok((await grant(RS, 'lab.read')).access_token);
      assert.equal((await events('resource_server.enabled')).length, 1);
    });

    test('the IdP’s own resource servers: neither disabled nor given another scope (409)', async () => {
      const adminApi = `${server.url}/admin/api`;
      let page = await admin.follow(`${rsPath(adminApi)}?lang=en`);
      assert.equal(page.res.status, 200);
      assert.match(page.body, /its scope cannot be changed and it cannot be disabled/);
      assert.doesNotMatch(page.body, /\/disable\?/, 'no disable form');
      page = await admin.submit(`${rsPath(adminApi)}/disable?lang=en`, { csrf: Person.csrf(page.body), reason: 'try' });
      assert.equal(page.res.status, 409);
      assert.match(page.body, /it cannot be disabled/);
      page = await admin.submit(`${rsPath(adminApi)}?lang=en`, { csrf: Person.csrf(page.body), scope: 'admin other', access_token_ttl: '300', signing_alg: 'ES256' });
      assert.equal(page.res.status, 409);
      assert.match(page.body, /its scope cannot be changed/);
      // its lifetime may be changed, its scope kept
      page = await admin.submit(`${rsPath(adminApi)}?lang=en`, { csrf: Person.csrf(page.body), access_token_ttl: '240', signing_alg: 'ES256' });
      assert.equal(page.res.status, 200);
      const coverage = `${server.url}/api/coverage`;
      assert.equal((await api(`/v1/resource-servers/${encodeURIComponent(coverage)}/disable`, { method: 'POST', body: { reason: 'x' } })).status, 409);
      assert.equal((await api(`/v1/resource-servers/${encodeURIComponent(coverage)}`, { method: 'PATCH', body: { scope: 'more' } })).status, 409);
      assert.equal((await api('/v1/resource-servers', { method: 'POST', body: { identifier: coverage, scope: 'coverage' } })).status, 409);
      const list = (await api('/v1/resource-servers')).body!.items as Array<{ identifier: string; scope: string; built_in: boolean; disabled: boolean; access_token_ttl: number }>;
      assert.deepEqual(list.filter((r) => r.built_in).map((r) => [r.identifier, r.scope, r.disabled]).sort(), [[adminApi, 'admin', false], [coverage, 'coverage', false]].sort());
      assert.equal(list.find((r) => r.identifier === adminApi)!.access_token_ttl, 240);
      assert.equal((await events('resource_server.disabled')).length, 1, 'nothing more disabled');
    });

    test('through the admin API: registered, changed, disabled and enabled, audited as the client; bad input 400', async () => {
      const other = 'https://pharmacy.example.test';
      assert.equal((await api('/v1/resource-servers', { method: 'POST', body: { identifier: 'nope', scope: 'rx' } })).status, 400);
      const bad = await api('/v1/resource-servers', { method: 'POST', body: { identifier: other, scope: 'rx', access_token_ttl: 5 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body!.error, 'invalid_request');
      assert.match(String(bad.body!.error_description), /access_token_ttl/);
      const made = await api('/v1/resource-servers', { method: 'POST', body: { identifier: other, scope: 'rx' } });
      assert.equal(made.status, 201);
      assert.equal(made.body!.access_token_ttl, 900);
      const path = `/v1/resource-servers/${encodeURIComponent(other)}`;
      const changed = await api(path, { method: 'PATCH', body: { access_token_ttl: 120 } });
      assert.equal(changed.status, 200);
      assert.deepEqual([changed.body!.scope, changed.body!.access_token_ttl], ['rx', 120], 'what is not given is kept');
      assert.equal((await api(`${path}/disable`, { method: 'POST', body: {} })).status, 400, 'a reason is required');
      const off = await api(`${path}/disable`, { method: 'POST', body: { reason: 'contract ended' } });
      assert.equal(off.status, 200);
      assert.equal(off.body!.disabled, true);
      assert.equal((await api(path)).body!.disabled, true);
      assert.equal((await api(`/v1/resource-servers/${encodeURIComponent('https://none.example.test')}`)).status, 404);
      assert.equal((await api(`${path}/enable`, { method: 'POST', body: { reason: 'renewed' } })).body!.disabled, false);
      const audited = (await events('resource_server.disabled')).filter((e) => e.detail.identifier === other);
      assert.equal(audited.length, 1);
      assert.equal(audited[0]!.actor, 'client:ops-robot-rs');
      const spec = (await (await fetch(`${server.url}/admin/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      assert.ok(spec.paths['/v1/resource-servers/{identifier}']!.patch);
      assert.ok(spec.paths['/v1/resource-servers/{identifier}/disable']!.post);
    });

    test('someone who is not an administrator: 403 in the console; a form without its CSRF token 403; a token for another resource 401', async () => {
      const { page } = await logIn(CITIZEN, new Person(server.url), '/admin/resource-servers');
      assert.equal(page.res.status, 403);
      assert.doesNotMatch(page.body, /lab-results/);
      // a form without its CSRF token is refused, even from an administrator
      const forged = await admin.submit('/admin/resource-servers?lang=en', { identifier: 'https://forged.example.test', scope: 'x' });
      assert.equal(forged.res.status, 403);
      assert.equal((await server.db.query('SELECT 1 FROM resource_servers WHERE identifier = $1', ['https://forged.example.test'])).rows.length, 0);
      const plain = await grant(RS, 'lab.read');
      assert.equal((await api('/v1/resource-servers', { token: plain.access_token })).status, 401, 'a token for another resource');
      assert.equal((await api('/v1/resource-servers', { token: 'forged' })).status, 401);
    });
  });
}
