// Account recovery over HTTP: ID number + birth date, a code to the verified phone, a new password; all
// sessions end, second factors stay; details that match no account look the same and go nowhere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { dbTargets } from '../../helpers/db.ts';
import { startWithPerson, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const BIRTH = { birth_day: '14', birth_month: '3', birth_year: '2528' }; // 1985-03-14 in the Buddhist era

for (const target of dbTargets()) {
  describe(`account recovery on ${target.name}`, () => {
    let server: RunningServer;
    let stop: () => Promise<void>;
    let sub: string;

    before(async () => {
      ({ server, sub, stop } = await startWithPerson(target));
      const totp = server.app().authenticators.totp;
      const key = (await totp.begin(sub, 'x')).setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(sub, await generate({ secret: key })), 'ok');
    });
    after(() => stop());

    const outbox = async () => (await (await fetch(`${server.url}/test-zone/sms?to=%2B66812345678`)).json()) as Array<{ text: string }>;
    const sessions = async () => Number((await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM oidc_models WHERE model = 'Session' AND payload->>'accountId' = $1`, [sub])).rows[0]!.n);

    async function start(person: Person, fields: Record<string, string>) {
      const page = await person.follow('/recover');
      assert.equal(page.res.status, 200);
      return person.submit('/recover', { csrf: Person.csrf(page.body), ...fields });
    }

    test('details that match no account look the same, send nothing and cannot be completed', async () => {
      const before = (await outbox()).length;
      const person = new Person(server.url);
      let page = await start(person, { pid: TEST_PERSON.pid, ...BIRTH, birth_year: '2529' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /If the details match|หากข้อมูลตรงกับบัญชี/);
      assert.equal((await outbox()).length, before, 'no code was sent');
      page = await person.submit('/recover/verify', { csrf: Person.csrf(page.body), code: '123456' });
      assert.equal(page.res.status, 400);
      assert.equal((await person.request('/recover/password')).status, 400);
    });

    test('bad input is refused with a clear message', async () => {
      const person = new Person(server.url);
      let page = await start(person, { pid: '1234567890123', ...BIRTH });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /check digit|เลขตรวจสอบ/);
      page = await start(person, { pid: TEST_PERSON.pid, birth_day: '30', birth_month: '2', birth_year: '2528' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /role="alert"/);
    });

    test('ID number + birth date + phone code → new password; sessions end, the app stays, the old password stops working', async () => {
      const loggedIn = new Person(server.url);
      let page = await loggedIn.follow('/account');
      await loggedIn.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      assert.ok((await sessions()) >= 1);

      const person = new Person(server.url);
      page = await start(person, { pid: TEST_PERSON.pid, ...BIRTH });
      assert.equal(page.res.status, 200);
      const code = (await outbox())[0]!.text.match(/\b(\d{6})\b/)![1]!;
      assert.equal((await person.request('/recover/password')).status, 400, 'no new password before the code');
      page = await person.submit('/recover/verify', { csrf: Person.csrf(page.body), code });
      assert.equal(page.res.status, 200);
      page = await person.submit('/recover/password', { csrf: Person.csrf(page.body), password: 'qwerty123', password_confirm: 'qwerty123' });
      assert.equal(page.res.status, 400, 'the password rules apply');
      page = await person.submit('/recover/password', { csrf: Person.csrf(page.body), password: 'a fresh start for me', password_confirm: 'a fresh start for me' });
      assert.equal(page.res.status, 200);

      assert.equal(await server.app().accounts.verifyPassword(TEST_PERSON.pid, TEST_PERSON.password), undefined);
      assert.equal(await server.app().accounts.verifyPassword(TEST_PERSON.pid, 'a fresh start for me'), sub);
      assert.equal(await sessions(), 0, 'every session ended');
      assert.equal((await loggedIn.request('/account')).status, 302);
      assert.equal((await server.app().authenticators.totp.status(sub)).enrolled, true, 'second factors are kept');
      const audit = await server.db.query(`SELECT 1 FROM audit_events WHERE subject = $1 AND action = 'account.recovered'`, [sub]);
      assert.equal(audit.rows.length, 1);
      assert.equal((await person.request('/recover/password')).status, 400, 'the request is used up');
    });
  });
}
