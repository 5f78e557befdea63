// Issue 11, item 3, beyond passwords: every counter that guards a guessable credential holds under
// parallel requests — wrong second-factor codes, account recovery per ID number, phone OTP tries and
// the sending of codes (each sent code is five more guesses). On both databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { dbTargets, migratedDatabase } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { OutboxSmsGateway } from '../../../src/idp/sms/index.ts';
import { createPhoneOtp, DEFAULT_OTP_LIMITS } from '../../../src/idp/sms/otp.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const pii = createPii(Buffer.alloc(32, 5));
const BIRTH = { birth_day: '14', birth_month: '3', birth_year: '2528' }; // TEST_PERSON's, Buddhist era
const count = <T>(xs: T[], x: T) => xs.filter((y) => y === x).length;

for (const target of dbTargets()) {
  describe(`phone codes under parallel requests on ${target.name}`, () => {
    const t = migratedDatabase(target);
    let outbox: OutboxSmsGateway;

    before(() => {
      outbox = new OutboxSmsGateway(t.db, pii);
    });

    test('20 simultaneous requests for a code to one phone send one code', async () => {
      const otp = createPhoneOtp(t.db, pii, outbox);
      const results = await Promise.all(Array.from({ length: 20 }, () => otp.issue('+66810000001', 'recover', '10.2.0.1')));
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.ok(results.every((r) => r.ok || r.reason === 'resend_too_soon'));
      assert.equal((await outbox.messagesTo('+66810000001')).length, 1);
    });

    test('40 simultaneous requests from one address to 40 phones stop at the address limit', async () => {
      const otp = createPhoneOtp(t.db, pii, outbox, { ...DEFAULT_OTP_LIMITS, perAddressPerHour: 30 });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => otp.issue(`+6682${String(i).padStart(7, '0')}`, 'register', '10.2.0.2')));
      assert.equal(results.filter((r) => r.ok).length, 30);
      assert.ok(results.every((r) => r.ok || r.reason === 'address_limit'));
    });

    test('50 simultaneous tries of one code: five are checked, then even the right code is refused', async () => {
      const otp = createPhoneOtp(t.db, pii, outbox);
      const issued = await otp.issue('+66810000003', 'register', '10.2.0.3');
      assert.ok(issued.ok);
      const code = (await outbox.messagesTo('+66810000003'))[0]!.text.match(/\b(\d{6})\b/)![1]!;
      const wrong = code === '000000' ? '000001' : '000000';
      const results = await Promise.all(Array.from({ length: 50 }, () => otp.verify(issued.id, '+66810000003', wrong)));
      assert.equal(count(results, 'wrong'), DEFAULT_OTP_LIMITS.maxTries);
      assert.equal(count(results, 'too_many_tries'), 50 - DEFAULT_OTP_LIMITS.maxTries);
      assert.equal(await otp.verify(issued.id, '+66810000003', code), 'too_many_tries');
    });
  });

  describe(`second factors and recovery under parallel requests on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;
    let secret: string;
    const REDIRECT = 'https://rp.example.test/cb';
    // the IdP's clock stands still: no TOTP step ends and no lock runs out during a test
    const clock = Date.now();
    const codeAt = (seconds: number) => generate({ secret, epoch: Math.floor(clock / 1000) + seconds });

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      // the lock right at the back-off
      server = await startTestServer(made.db, { LOGIN_BACKOFF_AFTER: '3', LOGIN_ACCOUNT_LOCK_AFTER: '3' }, undefined, () => clock);
      const { sub } = await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
      const totp = server.app().authenticators.totp;
      secret = (await totp.begin(sub, TEST_PERSON.pid)).setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(sub, await codeAt(-30)), 'ok');
      const client = await addClient(server, { redirect_uris: [REDIRECT], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    });
    after(async () => {
      await server.close();
      await drop();
    });

    test('20 simultaneous wrong authenticator-app codes: three are checked, the rest 429, then the right code too', async () => {
      const url = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', acr_values: 'urn:th:etda:aal:2.2', ui_locales: 'en', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
      const person = new Person(server.url);
      let page = await person.follow(url);
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      const action = Person.action(page.body, '/totp');
      const csrf = Person.csrf(page.body);
      const valid = new Set(await Promise.all([-60, -30, 0, 30, 60].map(codeAt)));
      const wrong = Array.from({ length: 30 }, (_, i) => String(100000 + i * 7919)).filter((c) => !valid.has(c)).slice(0, 20);
      const answers = await Promise.all(wrong.map((code) => person.submit(action, { csrf, code })));
      const statuses = answers.map((a) => a.res.status);
      assert.equal(count(statuses, 400), 3, statuses.join(','));
      assert.equal(count(statuses, 429), 17, statuses.join(','));
      const right = await person.submit(action, { csrf, code: await codeAt(0) });
      assert.equal(right.res.status, 429);
      assert.match(right.body, /locked for a while/);
    });

    test('20 simultaneous recoveries with a wrong birth date for one ID number: three count, the rest 429, then the right one too', async () => {
      const person = new Person(server.url);
      const form = await person.follow('/recover');
      const csrf = Person.csrf(form.body);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => person.submit('/recover', { csrf, pid: TEST_PERSON.pid, ...BIRTH, birth_day: String(1 + i) === BIRTH.birth_day ? '28' : String(1 + i) })),
      );
      const statuses = answers.map((a) => a.res.status);
      assert.equal(count(statuses, 200), 3, `the ones checked look like any other request: ${statuses.join(',')}`);
      assert.equal(count(statuses, 429), 17, statuses.join(','));
      const before = (await (await fetch(`${server.url}/test-zone/sms?to=%2B66812345678`)).json()) as unknown[];
      const right = await person.submit('/recover', { csrf, pid: TEST_PERSON.pid, ...BIRTH });
      assert.equal(right.res.status, 429);
      const after = (await (await fetch(`${server.url}/test-zone/sms?to=%2B66812345678`)).json()) as unknown[];
      assert.equal(after.length, before.length, 'no code is sent while the ID number is locked');
    });
  });
}
