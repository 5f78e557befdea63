// What must fail, fails safely: foreign redirect URIs, replayed codes, missing PKCE, forged CSRF,
// wrong passwords, password guessing, and bad bodies at every endpoint (a 4xx, never a 5xx).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { createLogger } from '../../../src/kernel/http/log.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
const REGISTRATION_TOKEN = 'initial-access-token-for-tests-0123456789';

for (const target of dbTargets()) {
  describe(`refusals on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;
    let publicClientId: string;
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
      server = await startTestServer(
        made.db,
        { IDP_REGISTRATION_TOKEN: REGISTRATION_TOKEN, LOGIN_BACKOFF_AFTER: '3', LOGIN_ACCOUNT_LOCK_AFTER: '5' },
        createLogger('info', sink),
      );
      await server.app().accounts.create(TEST_PERSON);
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile phone pid offline_access' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
      publicClientId = (await addClient(server, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' })).client_id;
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const authUrl = async (extra: Record<string, string> = {}) => {
      const verifier = oidc.randomPKCECodeVerifier();
      return {
        verifier,
        url: oidc.buildAuthorizationUrl(rp, {
          redirect_uri: REDIRECT,
          scope: 'openid profile phone pid offline_access',
          prompt: 'consent',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          ...extra,
        }),
      };
    };

    test('an unregistered redirect_uri is never redirected to', async () => {
      const { url } = await authUrl({ redirect_uri: 'https://evil.example.test/cb' });
      const res = await new Person(server.url).request(url);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /ที่อยู่ที่บริการขอให้ส่งคุณกลับไปไม่ได้ลงทะเบียนไว้/, 'said in words: the return address is not registered');
    });

    test('a reused authorization code fails and revokes the tokens it issued', async () => {
      const { url, verifier } = await authUrl();
      const callback = new URL(await new Person(server.url).logInAndConsent(url, TEST_PERSON.pid, TEST_PERSON.password));
      const first = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier });
      assert.equal((await oidc.tokenIntrospection(rp, first.access_token)).active, true);
      await assert.rejects(oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier }), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
      assert.equal((await oidc.tokenIntrospection(rp, first.access_token)).active, false);
      await assert.rejects(oidc.refreshTokenGrant(rp, first.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
    });

    test('a public client without PKCE is refused', async () => {
      const url = new URL(`${server.url}/auth`);
      url.search = new URLSearchParams({ client_id: publicClientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid' }).toString();
      const res = await new Person(server.url).request(url);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.origin + location.pathname, REDIRECT);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.match(location.searchParams.get('error_description')!, /PKCE/);
      assert.equal(location.searchParams.get('code'), null);
    });

    test('a forged CSRF token is refused and logs nobody in', async () => {
      const person = new Person(server.url);
      const { url } = await authUrl();
      const page = await person.follow(url);
      const action = Person.action(page.body, '/login');
      const real = Person.csrf(page.body);
      for (const csrf of ['', 'forged', `${Date.now()}.${real.split('.')[1]}x`, `${Number(real.split('.')[0]) - 1}.${real.split('.')[1]}`]) {
        const res = await person.submit(action, { csrf, pid: TEST_PERSON.pid, password: TEST_PERSON.password });
        assert.equal(res.res.status, 403, `csrf "${csrf}" refused`);
        assert.match(res.body, /แบบฟอร์มหมดอายุ|form has expired/);
      }
      // a token from another browser (another CSRF cookie) is refused too
      const other = new Person(server.url);
      const otherPage = await other.follow((await authUrl()).url);
      const cross = await person.submit(action, { csrf: Person.csrf(otherPage.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      assert.equal(cross.res.status, 403);
      // the real token still works afterwards
      const ok = await person.submit(action, { csrf: real, pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      assert.equal(ok.res.status, 200);
      assert.match(ok.body, /\/confirm"/);
    });

    test('wrong credentials get one generic message, in Thai or English', async () => {
      const person = new Person(server.url);
      const page = await person.follow((await authUrl({ ui_locales: 'en' })).url);
      assert.match(page.body, /<label for="pid">National ID number<\/label>/);
      assert.match(page.body, /<label for="password">Password<\/label>/);
      assert.match(page.body, />Log in<\/button>/);
      const action = Person.action(page.body, '/login');
      const wrongPassword = await person.submit(action, { csrf: Person.csrf(page.body), pid: '1101700203450', password: 'not the password' });
      const unknownAccount = await person.submit(action, { csrf: Person.csrf(page.body), pid: '3100600123450', password: 'not the password' });
      for (const r of [wrongPassword, unknownAccount]) {
        assert.equal(r.res.status, 401);
        assert.match(r.body, /role="alert"[^>]*><p>The national ID number or password is not correct/);
      }
      const thai = await new Person(server.url).follow((await authUrl()).url);
      assert.match(thai.body, /เลขประจำตัวประชาชน/);
      assert.match(thai.body, /รหัสผ่าน/);
    });

    test('password guessing backs off and then locks the account', async () => {
      const victim = '1103700012346';
      await server.app().accounts.create({ ...TEST_PERSON, pid: victim });
      const person = new Person(server.url);
      const page = await person.follow((await authUrl({ ui_locales: 'en' })).url);
      const action = Person.action(page.body, '/login');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await person.submit(action, { csrf: Person.csrf(page.body), pid: victim, password: `guess ${i}` });
        statuses.push(r.res.status);
        if (r.res.status === 429) {
          assert.ok(Number(r.res.headers.get('retry-after')) >= 1);
          assert.match(r.body, /Too many attempts/);
        }
      }
      assert.deepEqual(statuses, [401, 401, 401, 429]);
      // even the right password is refused while backing off
      const right = await person.submit(action, { csrf: Person.csrf(page.body), pid: victim, password: TEST_PERSON.password });
      assert.equal(right.res.status, 429);
    });

    test('an essential acr the account cannot reach ends with unmet_authentication_requirements', async () => {
      const { url } = await authUrl({ claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:th:etda:aal:2.2'] } } }) });
      const person = new Person(server.url);
      const page = await person.follow(url);
      const unmet = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      assert.match(unmet.body, /\/account\/security/, 'the person is told how to add an authenticator');
      const back = await person.submit(Person.action(unmet.body, '/unmet'), { csrf: Person.csrf(unmet.body) });
      assert.ok(back.external, 'sent back to the client');
      const answer = new URL(back.external);
      assert.equal(answer.searchParams.get('error'), 'unmet_authentication_requirements');
      assert.equal(answer.searchParams.get('code'), null);
    });

    test('bad bodies at every endpoint get a 4xx with an error, never a 5xx', async () => {
      const person = new Person(server.url);
      const page = await person.follow((await authUrl()).url);
      const loginAction = Person.action(page.body, '/login');
      const endpoints = ['/token', '/token/introspection', '/token/revocation', '/request', '/me', '/reg', loginAction];
      const bodies: Array<[string, string]> = [
        ['application/json', '{"not": json'],
        ['text/plain', 'hello'],
        ['application/x-www-form-urlencoded', `a=${'x'.repeat(300_000)}`],
        ['application/x-www-form-urlencoded', '%%%=%%%'],
      ];
      for (const ep of endpoints) {
        for (const [type, body] of bodies) {
          const res = await person.request(ep, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${REGISTRATION_TOKEN}` }, body });
          const text = await res.text();
          assert.ok(res.status >= 400 && res.status < 500, `${ep} with ${type} (${body.length} bytes) → ${res.status} ${text.slice(0, 200)}`);
          assert.ok(/"error"/.test(text) || /<h1>/.test(text), `${ep} explains the error: ${text.slice(0, 200)}`);
          assert.doesNotMatch(text, /at .*\.(js|ts):\d+/, 'no stack trace');
        }
      }
    });

    test('dynamic registration needs the initial access token', async () => {
      const body = JSON.stringify({ redirect_uris: ['https://dyn.example.test/cb'] });
      const without = await fetch(`${server.url}/reg`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(without.status, 401);
      const wrong = await fetch(`${server.url}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body });
      assert.equal(wrong.status, 401);
      const ok = await fetch(`${server.url}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRATION_TOKEN}` }, body });
      assert.equal(ok.status, 201);
      assert.ok(((await ok.json()) as { client_id?: string }).client_id);
    });

    test('logs never contain passwords, tokens, ID numbers or phone numbers', async () => {
      const { url, verifier } = await authUrl();
      const callback = new URL(await new Person(server.url).logInAndConsent(url, TEST_PERSON.pid, TEST_PERSON.password));
      const tokens = await oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier });
      await oidc.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub);
      const all = logLines.join('');
      assert.ok(all.includes('"msg":"request"'), 'requests are logged');
      for (const secret of [TEST_PERSON.pid, TEST_PERSON.password, '812345678', tokens.access_token, tokens.refresh_token!, callback.searchParams.get('code')!]) {
        assert.ok(!all.includes(secret), `log must not contain ${secret.slice(0, 6)}…`);
      }
    });
  });
}
