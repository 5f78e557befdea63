// Each SMS says what its code is for, in the person's language: the texts of every purpose, and over
// HTTP the SMS that registration (Thai and English), forgotten password, phone change and the login's
// SMS step send — the code always a six-digit word the tests' /\b(\d{6})\b/ finds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startWithPerson, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { OTP_PURPOSES, OTP_SMS, otpSmsText } from '../../../src/idp/sms/messages.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../src/idp/account/privacy_notice.ts';

const codeIn = (text: string) => text.match(/\b(\d{6})\b/)?.[1];

test('every purpose has its own text in Thai and English, with the code, its lifetime and a warning', () => {
  for (const lang of ['th', 'en'] as const) {
    const texts = OTP_PURPOSES.map((p) => otpSmsText(p, '048213', 300, lang));
    assert.equal(new Set(texts).size, OTP_PURPOSES.length, `${lang}: one text per purpose`);
    for (const text of texts) {
      assert.equal(codeIn(text), '048213', text);
      assert.match(text, lang === 'th' ? /ใช้ได้ 5 นาที/ : /valid 5 minutes/);
      assert.match(text, lang === 'th' ? /อย่าบอกรหัสนี้แก่ผู้ใด/ : /Do not share it/);
      assert.match(text, lang === 'th' ? /หมอพร้อม ดิจิทัลไอดี/ : /Mor Prom ID/);
      if (lang === 'en') assert.doesNotMatch(text, /[\u0E00-\u0E7F]/, 'an English SMS has no Thai');
    }
  }
  assert.equal(otpSmsText('register', '123456', 300, 'th'), 'รหัสสำหรับลงทะเบียนหมอพร้อม ดิจิทัลไอดี: 123456 (ใช้ได้ 5 นาที) อย่าบอกรหัสนี้แก่ผู้ใด');
  assert.equal(otpSmsText('register', '123456', 300, 'en'), 'Mor Prom ID registration code: 123456 (valid 5 minutes). Do not share it.');
  assert.deepEqual(Object.keys(OTP_SMS.th).sort(), Object.keys(OTP_SMS.en).sort());
});

const REDIRECT = 'https://rp.example.test/cb';
const FORM = {
  title: 'นาง',
  given_name: 'มาลี',
  family_name: 'ศรีสุข',
  given_name_en: 'Malee',
  family_name_en: 'Srisuk',
  birth_day: '5',
  birth_month: '6',
  birth_year: '2530',
  password: 'river stone quiet lantern',
  password_confirm: 'river stone quiet lantern',
  accept_privacy: PRIVACY_NOTICE_VERSION,
};

for (const target of dbTargets()) {
  describe(`what each SMS says, over HTTP, on ${target.name}`, () => {
    let server: RunningServer;
    let stop: () => Promise<void>;
    let rp: oidc.Configuration;

    before(async () => {
      ({ server, stop } = await startWithPerson(target));
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    });
    after(() => stop());

    const latest = async (e164: string) => ((await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(e164)}`)).json()) as Array<{ text: string }>)[0]?.text ?? '';

    test('registration: the code is for registering, in the language of the form', async () => {
      const thai = new Person(server.url);
      let page = await thai.follow('/register');
      await thai.submit('/register', { csrf: Person.csrf(page.body), ...FORM, pid: pidWithCheckDigit('110370005555'), phone: '086 111 5555' });
      const th = await latest('+66861115555');
      assert.match(th, /^รหัสสำหรับลงทะเบียนหมอพร้อม ดิจิทัลไอดี: \d{6} \(ใช้ได้ 5 นาที\) อย่าบอกรหัสนี้แก่ผู้ใด$/);

      const english = new Person(server.url);
      page = await english.follow('/register?lang=en');
      await english.submit('/register', { csrf: Person.csrf(page.body), ...FORM, pid: pidWithCheckDigit('110370006666'), phone: '086 111 6666' });
      const en = await latest('+66861116666');
      assert.match(en, /^Mor Prom ID registration code: \d{6} \(valid 5 minutes\)\. Do not share it\.$/);
    });

    test('forgotten password: the code is for setting a new password', async () => {
      const person = new Person(server.url);
      const page = await person.follow('/recover?lang=en');
      await person.submit('/recover', { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, birth_day: '14', birth_month: '3', birth_year: '2528' });
      const text = await latest('+66812345678');
      assert.match(text, /password reset code/);
      assert.ok(codeIn(text));
    });

    test('the login’s SMS step and a phone change: each says what it is for', async () => {
      const person = new Person(server.url);
      const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:th:etda:aal:2.1'] } } });
      let page = await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', claims, ui_locales: 'th' }));
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      const login = await latest('+66812345678');
      assert.match(login, /^รหัสสำหรับเข้าสู่ระบบหมอพร้อม ดิจิทัลไอดี: \d{6} /);

      page = await person.follow('/account');
      if (/name="password"/.test(page.body)) page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      page = await person.follow('/account?lang=en');
      assert.equal(page.res.status, 200);
      assert.match(page.body, /<html lang="en"/);
      page = await person.submit('/account/phone', { csrf: Person.csrf(page.body), phone: '089 000 7777' });
      const change = await latest('+66890007777');
      assert.match(change, /^Mor Prom ID code to change your phone number: \d{6} /);
    });
  });
}
