// Relying parties managed by an administrator, over HTTP on both databases: registered in the console
// (the secret shown once) and logged in through with a real relying party (openid-client); edited,
// its secret rotated (the old one refused at /token), disabled (refused at every endpoint) and enabled;
// the admin API does the same with an admin client's client-credentials token and refuses a token
// without the right, and what only an operator may set; every change is an audit event.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { finishConsent, insecure, loginForm, tryPassword } from '../../helpers/login.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { grantCounts, PEOPLE_COUNTED_UP_TO } from '../../../src/idp/oidc/clients.ts';

const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000001'), phone_number: '0867770001', phone_verified: true };
const CITIZEN = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000002'), phone_number: '0867770002', phone_verified: true };
const REDIRECT = 'https://clinic.example.test/cb';

for (const target of dbTargets()) {
  describe(`relying parties managed by an administrator on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let admin: Person;
    let apiToken: () => Promise<string>;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      const { accounts, units } = server.app();
      await accounts.create(ADMIN);
      await accounts.create(CITIZEN);
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      admin = new Person(server.url);
      let page = await admin.follow('/admin/relying-parties');
      page = await admin.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: ADMIN.pid, password: ADMIN.password });
      page = await admin.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66867770001')}`)).json()) as Array<{ text: string }>;
      page = await admin.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(page.res.status, 200, 'back at the list after the login');
      // an automation client the operator allowed to use the admin API
      const automation = await addClient(server, { client_id: 'ops-robot', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid', admin_api: true });
      apiToken = () => clientToken(automation.client_id, automation.client_secret!);
    });
    after(async () => {
      await server?.close();
      await drop?.();
    });

    async function clientToken(id: string, secret: string, resource = `${server.url}/admin/api`, scope = 'admin') {
      const res = await fetch(`${server.url}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }) });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    }
    const tokenStatus = async (id: string, secret: string) =>
      (await fetch(`${server.url}/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=openid' })).status;
    const api = async (path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) => {
      const token = init.token === undefined ? await apiToken() : init.token;
      const res = await fetch(`${server.url}/admin/api${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>), res };
    };
    const audited = async (action: string, clientId: string) =>
      (await server.db.query<{ actor: string }>(`SELECT actor FROM audit_events WHERE action = $1 AND detail ->> 'client_id' = $2 ORDER BY seq`, [action, clientId])).rows.map((r) => r.actor);

    test('registered in the console, the secret shown once, and a person logs in through it', async () => {
      let page = await admin.follow('/admin/relying-parties/new');
      assert.equal(page.res.status, 200);
      for (const label of ['Redirect URI', 'Grant types', 'pid', 'health_personnel', 'Back-channel logout URI', 'hcode', 'JWKS']) assert.ok(page.body.includes(label), label);
      // oidc-provider's own rules: a redirect URI with a fragment is refused beside its field
      const form = { csrf: Person.csrf(page.body), client_name: 'คลินิกทดสอบ', redirect_uris: `${REDIRECT}#frag`, grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_basic', scopes: ['openid', 'profile'] };
      page = await admin.submit('/admin/relying-parties', form);
      assert.equal(page.res.status, 400);
      assert.match(page.body, /id="redirect_uris-error"/);
      assert.match(page.body, /id="form-error"/);
      page = await admin.submit('/admin/relying-parties', { ...form, csrf: Person.csrf(page.body), redirect_uris: REDIRECT });
      assert.equal(page.res.status, 201, page.body.slice(0, 300));
      const clientId = /<code id="client-id">([^<]+)<\/code>/.exec(page.body)![1]!;
      const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(page.body)![1]!;
      assert.deepEqual(await audited('client.registered', clientId), [(await server.app().accounts.findByPid(ADMIN.pid))!.sub]);
      const shown = await admin.follow(`/admin/relying-parties/${clientId}`);
      assert.ok(!shown.body.includes(secret), 'the secret is never shown again');

      // a real relying party with that registration
      const rp = await oidc.discovery(new URL(server.url), clientId, secret, undefined, insecure);
      const citizen = new Person(server.url);
      const url = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid profile', state: 's' });
      const back = await finishConsent(citizen, await tryPassword(citizen, await loginForm(citizen, url), CITIZEN.pid, CITIZEN.password));
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(back), { expectedState: 's', idTokenExpected: true });
      assert.equal(tokens.claims()!.aud, clientId);

      const list = await admin.follow(`/admin/relying-parties?search=${encodeURIComponent('ทดสอบ')}`);
      assert.match(list.body, new RegExp(`<code>${clientId}</code>`));
      assert.match(list.body, /1 คน/, 'one person granted it access');
    });

    test('edited, its secret rotated, disabled and enabled again from the console', async () => {
      const made = await addClient(server, { client_name: 'Old name', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'client_credentials'], response_types: ['code'], scope: 'openid' });
      const id = made.client_id;
      let page = await admin.follow(`/admin/relying-parties/${id}`);
      assert.match(page.body, /value="Old name"/);
      page = await admin.submit(`/admin/relying-parties/${id}`, { csrf: Person.csrf(page.body), client_name: 'New name', redirect_uris: REDIRECT, grant_types: ['authorization_code', 'client_credentials'], token_endpoint_auth_method: 'client_secret_basic', scopes: ['openid'] });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /value="New name"/);
      assert.equal(await tokenStatus(id, made.client_secret!), 200, 'editing kept the secret');

      page = await admin.submit(`/admin/relying-parties/${id}/secret`, { csrf: Person.csrf(page.body) });
      const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(page.body)![1]!;
      assert.equal(await tokenStatus(id, made.client_secret!), 401, 'the old secret stops at once');
      assert.equal(await tokenStatus(id, secret), 200);

      page = await admin.follow(`/admin/relying-parties/${id}`);
      const refused = await admin.submit(`/admin/relying-parties/${id}/disable`, { csrf: Person.csrf(page.body), reason: '' });
      assert.equal(refused.res.status, 400, 'a reason is required');
      page = await admin.submit(`/admin/relying-parties/${id}/disable`, { csrf: Person.csrf(refused.body), reason: 'contract ended' });
      assert.equal(page.res.status, 200);
      assert.equal(await tokenStatus(id, secret), 401, 'a disabled client is refused');
      page = await admin.submit(`/admin/relying-parties/${id}/enable`, { csrf: Person.csrf(page.body), reason: 'contract renewed' });
      assert.equal(await tokenStatus(id, secret), 200);
      assert.equal((await audited('client.disabled', id)).length, 1);
      assert.equal((await audited('client.secret_rotated', id)).length, 1);
    });

    test('a person who is not an administrator is refused, and a form without its CSRF token', async () => {
      const page = await admin.follow('/admin/relying-parties/new');
      const forged = await admin.submit('/admin/relying-parties', { csrf: 'forged', client_name: 'x', redirect_uris: REDIRECT, grant_types: ['authorization_code'], scopes: ['openid'] });
      assert.equal(forged.res.status, 403);
      assert.ok(page.body.includes('csrf'));
      const citizen = new Person(server.url);
      let p = await citizen.follow('/admin/relying-parties');
      p = await citizen.submit(Person.action(p.body, '/login'), { csrf: Person.csrf(p.body), pid: CITIZEN.pid, password: CITIZEN.password });
      p = await citizen.submit(Person.action(p.body, '/sms/send'), { csrf: Person.csrf(p.body) });
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66867770002')}`)).json()) as Array<{ text: string }>;
      p = await citizen.submit(Person.action(p.body, '/sms'), { csrf: Person.csrf(p.body), code: outbox[0]!.text.match(/\b(\d{6})\b/)![1]! });
      assert.equal(p.res.status, 403);
    });

    test('the admin API does the same operations with an admin client’s token', async () => {
      const made = await api('/v1/relying-parties', { method: 'POST', body: { client_name: 'From automation', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid' } });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const id = made.body!.client_id as string;
      assert.equal(typeof made.body!.client_secret, 'string');
      assert.deepEqual(await audited('client.registered', id), ['client:ops-robot']);
      const got = await api(`/v1/relying-parties/${id}`);
      assert.equal(got.status, 200);
      assert.equal((got.body!.metadata as Record<string, unknown>).client_secret, undefined, 'no secret read back');
      assert.equal((got.body!.metadata as Record<string, unknown>).has_secret, true);
      const listed = await api(`/v1/relying-parties?search=${encodeURIComponent('From automation')}`);
      assert.deepEqual((listed.body!.items as Array<{ client_id: string }>).map((i) => i.client_id), [id]);
      const put = await api(`/v1/relying-parties/${id}`, { method: 'PUT', body: { client_name: 'Renamed', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid' } });
      assert.equal(put.status, 200);
      assert.equal(put.body!.client_name, 'Renamed');
      const rotated = await api(`/v1/relying-parties/${id}/secret`, { method: 'POST' });
      assert.notEqual(rotated.body!.client_secret, made.body!.client_secret);
      assert.equal((await api(`/v1/relying-parties/${id}/disable`, { method: 'POST', body: { reason: 'test' } })).status, 204);
      assert.equal((await api(`/v1/relying-parties/${id}/disable`, { method: 'POST', body: { reason: 'again' } })).status, 409);
      assert.equal((await api(`/v1/relying-parties/${id}`)).body!.disabled, true);
      const doc = (await (await fetch(`${server.url}/admin/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/v1/relying-parties/{id}/secret']);
    });

    test("a national relying party's people are counted up to a bound, and said to be at least that many", async () => {
      const national = await addClient(server, { client_id: 'national-app', client_name: 'National app', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid' });
      // one more grant than the bound, of as many people, and one person's second grant below it
      const grants = async (clientId: string, n: number, people = n) => server.db.query(
        `INSERT INTO oidc_models (model, id, payload, expires_at) SELECT 'Grant', $1 || g, jsonb_build_object('accountId', 'person-' || (g % $3), 'clientId', $1::text), now() + interval '1 day' FROM generate_series(1, $2::int) g`,
        [clientId, n, people]);
      await grants(national.client_id, PEOPLE_COUNTED_UP_TO + 1);
      const local = await addClient(server, { client_id: 'local-clinic', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid' });
      await grants(local.client_id, 3, 2);

      const counted = await grantCounts(server.db, [national.client_id, local.client_id, 'nobody-granted']);
      assert.deepEqual(counted.get(national.client_id), { people: PEOPLE_COUNTED_UP_TO, atLeast: true });
      assert.deepEqual(counted.get(local.client_id), { people: 2, atLeast: false }, 'people, not grants');
      assert.deepEqual(counted.get('nobody-granted'), { people: 0, atLeast: false });

      const page = await admin.follow('/admin/relying-parties?search=national-app&lang=en');
      assert.match(page.body, /10,000 or more people/);
      const th = await admin.follow(`/admin/relying-parties/${national.client_id}?lang=th`);
      assert.match(th.body, /10,000 คนขึ้นไป/);
      const detail = await api(`/v1/relying-parties/${national.client_id}`);
      assert.equal(detail.body!.people, PEOPLE_COUNTED_UP_TO);
      assert.equal(detail.body!.people_at_least, true);
      const listed = await api('/v1/relying-parties?search=local-clinic');
      assert.deepEqual((listed.body!.items as Array<Record<string, unknown>>).map((i) => [i.people, i.people_at_least]), [[2, false]]);
    });

    test('the admin API refuses a missing, forged or unentitled token, bad metadata and what only an operator sets', async () => {
      const none = await api('/v1/relying-parties', { token: null });
      assert.equal(none.status, 401);
      assert.equal(none.body!.error, 'invalid_token');
      assert.match(none.res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
      assert.equal((await api('/v1/relying-parties', { token: 'eyJhbGciOiJFUzI1NiJ9.e30.sig' })).status, 401);
      // a client without admin_api gets a token for the resource, but not the API
      const plain = await addClient(server, { grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'openid' });
      const unentitled = await api('/v1/relying-parties', { token: await clientToken(plain.client_id, plain.client_secret!) });
      assert.equal(unentitled.status, 403);
      assert.equal(unentitled.body!.error, 'insufficient_scope');
      const bad = await api('/v1/relying-parties', { method: 'POST', body: { redirect_uris: ['not a url'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body!.error, 'invalid_client_metadata');
      const escalate = await api('/v1/relying-parties', { method: 'POST', body: { grant_types: ['client_credentials'], response_types: [], redirect_uris: [], admin_api: true } });
      assert.equal(escalate.status, 403);
      assert.equal((await api('/v1/relying-parties/no-such-client')).status, 404);
      const notJson = await fetch(`${server.url}/admin/api/v1/relying-parties`, { method: 'POST', headers: { authorization: `Bearer ${await apiToken()}`, 'content-type': 'application/json' }, body: '{not json' });
      assert.equal(notJson.status, 400);
    });
  });
}
