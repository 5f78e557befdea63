// Passkeys through the HTTP interface: added on the account security page, then used by a relying
// party's login on their own (AAL 2.2, no ID number typed) and, device-bound, after the password
// when AAL 3 is asked for. A passkey of another account is refused as a second factor.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startWithPerson, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { SoftAuthenticator } from '../../helpers/softauthn.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };

for (const target of dbTargets()) {
  describe(`passkey login on ${target.name}`, () => {
    let server: RunningServer;
    let stop: () => Promise<void>;
    let rp: oidc.Configuration;

    before(async () => {
      ({ server, stop } = await startWithPerson(target));
      const client = await addClient(server, { client_name: 'RP', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(() => stop());

    const json = (person: Person, url: string, csrf: string, body: unknown) =>
      person.request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    const dataCsrf = (body: string) => body.match(/data-csrf="([^"]+)"/)![1]!;

    async function addPasskey(device: SoftAuthenticator) {
      const person = new Person(server.url);
      let page = await person.follow('/account/security');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      const csrf = dataCsrf(page.body);
      const forged = await json(person, '/account/passkeys/options', 'forged.token', {});
      assert.equal(forged.status, 403, 'JSON endpoints check the CSRF header');
      const { challengeId, options } = (await (await json(person, '/account/passkeys/options', csrf, {})).json()) as { challengeId: string; options: never };
      const res = await json(person, '/account/passkeys', csrf, { challengeId, response: device.create(options), name: 'Test key' });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { redirect: '/account/security' });
    }

    async function passkeyStep(person: Person, page: { body: string }, device: SoftAuthenticator, ignoreAllowList = false) {
      const optionsUrl = page.body.match(/data-options-url="([^"]+)"/)![1]!;
      const verifyUrl = page.body.match(/data-verify-url="([^"]+)"/)![1]!;
      const csrf = dataCsrf(page.body);
      const { challengeId, options } = (await (await json(person, optionsUrl, csrf, {})).json()) as { challengeId: string; options: never };
      const opts = options as { challenge: string; allowCredentials?: Array<{ id: string }> };
      return json(person, verifyUrl, csrf, { challengeId, response: device.get(ignoreAllowList ? { ...opts, allowCredentials: [] } : opts) });
    }

    async function finish(person: Person, redirect: string) {
      let page = await person.follow(redirect);
      if (!page.external) page = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(page.external!), { expectedState: 's', idTokenExpected: true });
      return tokens.claims()!;
    }

    test('a synced passkey logs in on its own at AAL 2.2', async () => {
      const device = new SoftAuthenticator(new URL(server.url).origin);
      await addPasskey(device);
      const person = new Person(server.url);
      const page = await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', acr_values: 'urn:th:etda:aal:2.2' }));
      const res = await passkeyStep(person, page, device);
      assert.equal(res.status, 200);
      const { redirect } = (await res.json()) as { redirect: string };
      const claims = await finish(person, redirect);
      assert.equal(claims.acr, 'urn:th:etda:aal:2.2');
      assert.deepEqual([...(claims.amr as string[])].sort(), ['mfa', 'swk', 'user']);
    });

    test('AAL 3: the password, then a device-bound passkey; a synced one is not offered as enough', async () => {
      const key = new SoftAuthenticator(new URL(server.url).origin, { synced: false });
      await addPasskey(key);
      const person = new Person(server.url);
      let page = await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', acr_values: 'urn:th:etda:aal:3' }));
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /data-passkey="login"/);
      assert.doesNotMatch(page.body, /\/totp"|\/sms\/send/, 'nothing weaker is offered for AAL 3');
      const stranger = new SoftAuthenticator(new URL(server.url).origin);
      stranger.create({ challenge: 'x', rp: {}, user: { id: 'eA' } });
      const refused = await passkeyStep(person, page, stranger, true);
      assert.equal(refused.status, 400, 'an unknown passkey is refused');
      const res = await passkeyStep(person, page, key);
      const claims = await finish(person, ((await res.json()) as { redirect: string }).redirect);
      assert.equal(claims.acr, 'urn:th:etda:aal:3');
      assert.deepEqual([...(claims.amr as string[])].sort(), ['hwk', 'mfa', 'pwd', 'user']);
    });
  });
}
