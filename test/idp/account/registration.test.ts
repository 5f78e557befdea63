// Self-registration over HTTP: the form, the phone code from the test-zone outbox, the account at
// IAL 1.1 with its PDPA consent; every bad input gets a clear message and creates nothing; a second
// registration for the same ID number reveals nothing about the existing account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { startTestServer, pidWithCheckDigit } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../src/idp/account/privacy_notice.ts';
import { relyingParty } from '../../helpers/login.ts';

const FORM = {
  pid: '1-1037-00012-34-7',
  title: 'นาง',
  given_name: 'มาลี',
  family_name: 'ศรีสุข',
  given_name_en: 'Malee',
  family_name_en: 'Srisuk',
  birth_day: '5',
  birth_month: '6',
  birth_year: '2530', // Buddhist era: 1987
  phone: '086 111 2233',
  password: 'river stone quiet lantern',
  password_confirm: 'river stone quiet lantern',
  accept_privacy: PRIVACY_NOTICE_VERSION,
};


for (const target of dbTargets()) {
  describe(`self-registration on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    const pid = pidWithCheckDigit('110370001234');

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    async function latestCode(e164: string): Promise<string> {
      const list = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(e164)}`)).json()) as Array<{ text: string }>;
      return list[0]!.text.match(/\b(\d{6})\b/)![1]!;
    }
    async function openForm(person: Person) {
      const page = await person.follow('/register');
      assert.equal(page.res.status, 200);
      return page;
    }
    async function submitForm(person: Person, fields: Record<string, string>) {
      const page = await openForm(person);
      return person.submit('/register', { csrf: Person.csrf(page.body), ...fields });
    }
    const count = async () => Number((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts')).rows[0]!.n);

    test('register, prove the phone, and the account exists at IAL 1.1 with the PDPA consent recorded', async () => {
      const person = new Person(server.url);
      let page = await submitForm(person, { ...FORM, pid });
      assert.equal(page.res.status, 200, page.body.slice(0, 500));
      assert.match(page.body, /08x-xxx-2233/);
      const code = await latestCode('+66861112233');
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: code === '000000' ? '000001' : '000000' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /role="alert"/);
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      assert.equal(new URL(page.url).pathname, '/account', 'registration ends on the account pages, logged in');
      assert.doesNotMatch(page.body, /name="password"/, 'no "log in to continue" form');
      assert.match(page.body, /คุณเข้าสู่ระบบแล้ว/);

      const account = await server.app().accounts.findByPid(pid);
      assert.ok(account);
      assert.equal(account.birthdate, '1987-06-05', 'the Buddhist-era year is stored as an ISO date');
      assert.equal(account.phoneNumber, '+66861112233');
      assert.equal(account.phoneVerified, true);
      assert.equal(account.givenNameEn, 'Malee');
      const consent = await server.db.query('SELECT version FROM privacy_consents WHERE sub = $1', [account.sub]);
      assert.deepEqual(consent.rows, [{ version: PRIVACY_NOTICE_VERSION }]);
      assert.ok(await server.app().accounts.verifyPassword(pid, FORM.password), 'the chosen password works');
    });

    test('a second registration for the same ID number creates nothing and reveals nothing; the owner is told by SMS', async () => {
      const before = await count();
      const person = new Person(server.url);
      let page = await submitForm(person, { ...FORM, pid, phone: '0862223344', given_name: 'อื่น' });
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: await latestCode('+66862223344') });
      assert.equal(page.res.status, 409);
      assert.doesNotMatch(page.body, /2233|มาลี|Malee|1987|2530/, 'nothing about the existing account is shown');
      assert.match(page.body, /\/recover/);
      assert.equal(await count(), before);
      const toOwner = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66861112233')}`)).json()) as Array<{ text: string }>;
      assert.match(toOwner[0]!.text, /\/recover/);

      // a second attempt the same day does not message the owner again
      const again = new Person(server.url);
      let page2 = await submitForm(again, { ...FORM, pid, phone: '0862223355', given_name: 'อื่น' });
      page2 = await again.submit('/register/verify', { csrf: Person.csrf(page2.body), code: await latestCode('+66862223355') });
      assert.equal(page2.res.status, 409);
      const toOwnerAfter = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent('+66861112233')}`)).json()) as unknown[];
      assert.equal(toOwnerAfter.length, toOwner.length, 'told once a day at most');
    });

    test('registering from a relying party\'s login ends at its consent, logged in at AAL 1, in the language it asked for', async () => {
      const rp = await relyingParty(server, { scope: 'openid profile' });
      const person = new Person(server.url);
      let page = await person.follow(rp.authUrl({ scope: 'openid profile', ui_locales: 'en' }));
      assert.match(page.body, /<html lang="en"/);
      const link = page.body.match(/href="(\/register\?[^"]+)"/)![1]!.replaceAll('&amp;', '&');
      assert.match(link, /lang=en/, 'the link to register keeps the language');
      page = await person.follow(link);
      assert.match(page.body, /<html lang="en"/);
      assert.match(page.body, /Create your Mor Prom Digital ID/);
      const pid4 = pidWithCheckDigit('110370004444');
      page = await person.submit('/register', { csrf: Person.csrf(page.body), ...FORM, pid: pid4, phone: '0864440000', return: page.body.match(/name="return" value="([^"]+)"/)![1]! });
      assert.match(page.body, /<html lang="en"/, 'the phone step is in English too');
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: await latestCode('+66864440000') });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      assert.doesNotMatch(page.body, /name="password"/, 'no "log in to continue" form');
      assert.match(page.body, /Allow access/, 'straight to the consent page, in English');
      assert.match(page.body, /Your account is ready and you are logged in/);
      page = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
      const tokens = await rp.tokens(page.external!);
      const account = (await server.app().accounts.findByPid(pid4))!;
      assert.equal(tokens.claims()!.sub, account.sub);
      assert.equal(tokens.claims()!.acr, 'urn:th:etda:aal:1');
      assert.deepEqual(tokens.claims()!.amr, ['pwd']);
    });

    test('the registration cookie logs in only once and only the interaction it was made for', async () => {
      const person = new Person(server.url);
      let page = await submitForm(person, { ...FORM, pid: pidWithCheckDigit('110370006666'), phone: '0866660000' });
      const verify = await person.request('/register/verify', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: Person.csrf(page.body), code: await latestCode('+66866660000') }).toString() });
      assert.equal(verify.status, 303);
      const copied = ['mpid.registered', 'mpid.registered.sig'].map((k) => [k, person.jar.get(k)!] as const);
      assert.ok(copied.every(([, v]) => v), 'a signed cookie names the new account');
      page = await person.follow('/account');
      assert.equal(new URL(page.url).pathname, '/account');
      assert.doesNotMatch(page.body, /name="password"/);
      assert.equal(person.jar.has('mpid.registered'), false, 'taken once');
      // the same cookie copied into another browser logs nobody in: the account has logged in since
      const other = new Person(server.url);
      for (const [k, v] of copied) other.jar.set(k, v);
      page = await other.follow('/account');
      assert.match(page.body, /name="password"/);
    });

    const badPid = pidWithCheckDigit('110370009999');
    const bad: Array<[string, Record<string, string>, RegExp]> = [
      ['a wrong check digit', { pid: '1234567890123' }, /check digit|เลขตรวจสอบ/],
      ['a short ID number', { pid: '12345' }, /13/],
      ['a future birth date', { birth_year: String(new Date().getFullYear() + 544) }, /future|อนาคต/],
      ['an impossible date', { birth_day: '31', birth_month: '2' }, /not a valid date|ไม่ถูกต้อง/],
      ['an unknown phone format', { phone: '02-123-4567' }, /Thai mobile|มือถือ/],
      ['a common password', { password: 'password123', password_confirm: 'password123' }, /เดาได้ง่าย/],
      ['a password holding the ID number', { password: `my id ${badPid}`, password_confirm: `my id ${badPid}` }, /ต้องไม่มีเลขประจำตัวประชาชน/],
      ['passwords that differ', { password_confirm: 'something else entirely' }, /match|ไม่ตรงกัน/],
      ['no privacy consent', { accept_privacy: '' }, /privacy|ความเป็นส่วนตัว/],
      ['no Thai given name', { given_name: '  ' }, /fill in|กรุณากรอก/],
      ['Latin letters in the Thai given name', { given_name: 'Malee' }, /ตัวอักษรภาษาไทย/],
      ['Latin letters in the Thai family name', { family_name: 'ศรีsuk' }, /ตัวอักษรภาษาไทย/],
      ['Thai letters in the English given name', { given_name_en: 'มาลี' }, /ตัวอักษรภาษาอังกฤษ/],
    ];
    for (const [what, change, message] of bad) {
      test(`${what} is refused with a clear message and nothing is created or sent`, async () => {
        const person = new Person(server.url);
        const before = await count();
        const phone = '+66869990000';
        const sentBefore = ((await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(phone)}`)).json()) as unknown[]).length;
        const page = await submitForm(person, { ...FORM, pid: badPid, phone: '0869990000', ...change });
        assert.equal(page.res.status, 400);
        assert.match(page.body, /role="alert"/);
        assert.match(page.body, /aria-invalid="true"/);
        assert.match(page.body, message);
        assert.equal(await count(), before);
        const sentAfter = ((await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(phone)}`)).json()) as unknown[]).length;
        assert.equal(sentAfter, sentBefore, 'no code is sent for a refused form');
      });
    }

    test('a form without a valid CSRF token is refused (403) and nothing happens', async () => {
      const person = new Person(server.url);
      await openForm(person);
      const page = await person.submit('/register', { csrf: 'forged.token', ...FORM, pid: pidWithCheckDigit('110370005555') });
      assert.equal(page.res.status, 403);
      assert.equal(await server.app().accounts.findByPid(pidWithCheckDigit('110370005555')), undefined);
    });

    test('too many wrong codes: the code stops working even when right', async () => {
      const person = new Person(server.url);
      const pid2 = pidWithCheckDigit('110370007777');
      let page = await submitForm(person, { ...FORM, pid: pid2, phone: '0867770000' });
      const code = await latestCode('+66867770000');
      const wrong = code === '999999' ? '999998' : '999999';
      for (let i = 0; i < 5; i++) page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: wrong });
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /Too many|หลายครั้งเกินไป/);
      assert.equal(await server.app().accounts.findByPid(pid2), undefined);
    });

    test('an expired code is refused with its own message and creates nothing; a new code can be asked for', async () => {
      const person = new Person(server.url);
      const pid3 = pidWithCheckDigit('110370008888');
      let page = await submitForm(person, { ...FORM, pid: pid3, phone: '0868880000' });
      const code = await latestCode('+66868880000');
      await server.db.query(`UPDATE otp_codes SET expires_at = now() - interval '1 second' WHERE expires_at > now()`);
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /expired|หมดอายุ/);
      assert.equal(await server.app().accounts.findByPid(pid3), undefined);
      page = await person.submit('/register/resend', { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 429, 'a new code only after the resend interval');
      assert.match(page.body, /Retry|วินาที|seconds/);
    });

    test('the verify page without a registration in progress is a clear 400', async () => {
      const page = await new Person(server.url).follow('/register/verify');
      assert.equal(page.res.status, 400);
      assert.match(page.body, /expired|หมดอายุ/);
    });
  });
}
