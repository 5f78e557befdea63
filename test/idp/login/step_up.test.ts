// Assurance-aware login through a real relying party: the acr a login reaches comes from the factors
// used; acr_values / essential acr step the person up; what cannot be reached ends in
// unmet_authentication_requirements with a page for the person; min_ial is enforced; max_age and
// prompt=login force a fresh login. Authenticator-app codes follow the IdP's clock, which the tests
// move a step at a time (never the real time's step boundary).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON, pidWithCheckDigit } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };


for (const target of dbTargets()) {
  describe(`assurance-aware login on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;
    let totpSecret: string;
    let stepperSecret: string;
    const plain = { ...TEST_PERSON, pid: pidWithCheckDigit('310060012345'), phone_number: '0898765432' };
    const stepper = { ...TEST_PERSON, pid: pidWithCheckDigit('310060054321'), phone_number: '0897654321' };
    let clock = Date.now();
    const codeOf = (secret: string) => generate({ secret, epoch: Math.floor(clock / 1000) });
    /** A step later, so this test's codes are new whichever tests ran before. */
    const nextStep = () => (clock += 30_000);

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db, {}, undefined, () => clock);
      const { sub } = await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
      await server.app().accounts.create({ ...plain, phone_verified: true });
      // setting up the authenticator is not what is tested here (the account pages test that)
      const totp = server.app().authenticators.totp;
      const { setupKey } = await totp.begin(sub, TEST_PERSON.pid);
      totpSecret = setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(sub, await codeOf(totpSecret)), 'ok');
      const other = await server.app().accounts.create({ ...stepper, phone_verified: true });
      stepperSecret = (await totp.begin(other.sub, stepper.pid)).setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(other.sub, await codeOf(stepperSecret)), 'ok');
      const client = await addClient(server, {
        client_name: 'Hospital RP',
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code'],
        scope: 'openid profile',
      });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    function authUrl(params: Record<string, string> = {}) {
      return oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 'st', ...params });
    }
    async function tokensFrom(callback: string) {
      return oidc.authorizationCodeGrant(rp, new URL(callback), { expectedState: 'st', idTokenExpected: true });
    }
    async function passwordStep(person: Person, url: URL, who = TEST_PERSON) {
      const page = await person.follow(url);
      assert.equal(page.res.status, 200);
      return person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: who.pid, password: who.password });
    }
    async function finishConsent(person: Person, page: Awaited<ReturnType<Person['follow']>>) {
      if (page.external) return page.external;
      const next = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
      assert.ok(next.external, `back at the client, got ${next.res.status} ${next.body.slice(0, 200)}`);
      return next.external;
    }

    test('a password login is AAL 1 with amr pwd', async () => {
      const person = new Person(server.url);
      const page = await passwordStep(person, authUrl());
      const claims = (await tokensFrom(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, 'urn:th:etda:aal:1');
      assert.deepEqual(claims.amr, ['pwd']);
    });

    test('acr_values=aal:2.2 asks for the authenticator app; a wrong code is refused, the right one gives AAL 2.2', async () => {
      const person = new Person(server.url);
      let page = await passwordStep(person, authUrl({ acr_values: 'urn:th:etda:aal:2.2' }));
      assert.equal(page.res.status, 200);
      assert.match(page.body, /action="\/interaction\/[^"]+\/totp"/);
      assert.doesNotMatch(page.body, /\/sms\/send/, 'SMS does not reach AAL 2.2, so it is not offered');
      const action = Person.action(page.body, '/totp');
      nextStep();
      const good = await codeOf(totpSecret);
      page = await person.submit(action, { csrf: Person.csrf(page.body), code: good === '000000' ? '000001' : '000000' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /role="alert"[^>]*>[^<]*(not correct|ไม่ถูกต้อง)/);
      page = await person.submit(action, { csrf: Person.csrf(page.body), code: good });
      const claims = (await tokensFrom(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, 'urn:th:etda:aal:2.2');
      assert.deepEqual([...(claims.amr as string[])].sort(), ['mfa', 'otp', 'pwd']);
    });

    test('a TOTP code is accepted once: replaying it in another login is refused', async () => {
      const person = new Person(server.url);
      let page = await passwordStep(person, authUrl({ acr_values: 'urn:th:etda:aal:2.2' }));
      nextStep();
      const code = await codeOf(totpSecret);
      page = await person.submit(Person.action(page.body, '/totp'), { csrf: Person.csrf(page.body), code });
      assert.ok(page.external || page.res.status === 200);
      const again = new Person(server.url);
      let second = await passwordStep(again, authUrl({ acr_values: 'urn:th:etda:aal:2.2' }));
      second = await again.submit(Person.action(second.body, '/totp'), { csrf: Person.csrf(second.body), code });
      assert.equal(second.res.status, 400);
      assert.match(second.body, /already used|ถูกใช้ไปแล้ว/);
    });

    test('a session at AAL 1 is stepped up with the second factor only, without the password again', async () => {
      const person = new Person(server.url);
      await finishConsent(person, await passwordStep(person, authUrl(), stepper));
      let page = await person.follow(authUrl({ acr_values: 'urn:th:etda:aal:2.2' }));
      assert.equal(page.res.status, 200);
      assert.doesNotMatch(page.body, /name="password"/);
      nextStep();
      page = await person.submit(Person.action(page.body, '/totp'), { csrf: Person.csrf(page.body), code: await codeOf(stepperSecret) });
      const claims = (await tokensFrom(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, 'urn:th:etda:aal:2.2');
    });

    test('an essential acr of aal:2.1 can be met with an SMS code to the verified phone', async () => {
      const person = new Person(server.url);
      const claimsParam = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:th:etda:aal:2.1'] } } });
      let page = await passwordStep(person, authUrl({ claims: claimsParam }), plain);
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      const outbox = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66898765432')}`)).json()) as Array<{ text: string }>;
      const code = outbox[0]!.text.match(/\b(\d{6})\b/)![1]!;
      page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code });
      const claims = (await tokensFrom(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, 'urn:th:etda:aal:2.1');
      assert.ok((claims.amr as string[]).includes('sms'));
      // the session of an AAL 2 login ends after 30 idle minutes; an AAL 1 session lives 30 days
      const { rows } = await server.db.query<{ acr: string; seconds: number }>(
        `SELECT payload->>'acr' AS acr, extract(epoch FROM expires_at - now())::float AS seconds FROM oidc_models WHERE model = 'Session' AND payload->>'acr' IS NOT NULL`,
      );
      const secondsLeft = (acr: string) => Math.max(...rows.filter((r) => r.acr === acr).map((r) => Number(r.seconds)));
      assert.ok(Math.abs(secondsLeft('urn:th:etda:aal:2.1') - 30 * 60) < 60, `AAL 2.1 idle limit: ${secondsLeft('urn:th:etda:aal:2.1')}`);
      assert.ok(secondsLeft('urn:th:etda:aal:1') > 29 * 86400, 'AAL 1 sessions live 30 days');
    });

    test('without an app or passkey, AAL 2.2 is unmet: a page explains, and the client gets unmet_authentication_requirements', async () => {
      const person = new Person(server.url);
      const page = await passwordStep(person, authUrl({ acr_values: 'urn:th:etda:aal:2.2' }), plain);
      assert.equal(page.res.status, 200);
      assert.match(page.body, /\/account\/security/);
      const back = await person.submit(Person.action(page.body, '/unmet'), { csrf: Person.csrf(page.body) });
      assert.ok(back.external);
      const url = new URL(back.external);
      assert.equal(url.searchParams.get('error'), 'unmet_authentication_requirements');
    });

    test('min_ial above the account IAL is unmet; min_ial=1.1 is met; an unknown min_ial is an invalid_request', async () => {
      const person = new Person(server.url);
      let page = await passwordStep(person, authUrl({ min_ial: '2.3' }));
      assert.match(page.body, /IAL\)? 2\.3/);
      const back = await person.submit(Person.action(page.body, '/unmet'), { csrf: Person.csrf(page.body) });
      assert.equal(new URL(back.external!).searchParams.get('error'), 'unmet_authentication_requirements');

      page = await passwordStep(person, authUrl({ min_ial: '1.1' }));
      const claims = (await tokensFrom(await finishConsent(person, page))).claims()!;
      assert.equal(claims.sub.length > 0, true);

      const bad = await person.follow(authUrl({ min_ial: '9' }));
      assert.equal(new URL(bad.external!).searchParams.get('error'), 'invalid_request');
    });

    test('consent is remembered per person and client: another browser is not asked again, prompt=consent asks', async () => {
      const first = new Person(server.url);
      const page = await passwordStep(first, authUrl({ scope: 'openid profile' }), stepper);
      assert.ok(!page.external, 'the first login asks for consent');
      await finishConsent(first, page);
      const second = new Person(server.url);
      const again = await passwordStep(second, authUrl({ scope: 'openid profile' }), stepper);
      assert.ok(again.external, 'no consent page on another device');
      assert.ok((await tokensFrom(again.external)).claims()!.sub);
      const asked = await second.follow(authUrl({ scope: 'openid profile', prompt: 'consent' }));
      assert.match(asked.body, /\/confirm"/, 'prompt=consent still asks');
    });

    test('max_age=0 and prompt=login ask for the password again even with a session', async () => {
      const person = new Person(server.url);
      await finishConsent(person, await passwordStep(person, authUrl()));
      for (const params of [{ max_age: '0' }, { prompt: 'login' }] as Array<Record<string, string>>) {
        const page = await person.follow(authUrl(params));
        assert.equal(page.res.status, 200);
        assert.match(page.body, /name="password"/, JSON.stringify(params));
      }
    });
  });
}
