// What a person reads on the login pages, over HTTP: an empty form names the missing fields (not
// "wrong password"); consent lists scopes and claims in words; oidc-provider's errors are sentences in
// the page's language; logging out says so, and the next login of the same client asks no consent again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { startTestServer, pidWithCheckDigit, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { loginForm, relyingParty, tryPassword, type RelyingParty } from '../../helpers/login.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

for (const target of dbTargets()) {
  describe(`the login pages' words on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: RelyingParty;
    const pid = pidWithCheckDigit('310990001234');

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      rp = await relyingParty(server, { scope: 'openid profile phone' });
      await server.app().accounts.create({ ...TEST_PERSON, pid, phone_number: '0812223344', phone_verified: true });
    });
    after(async () => {
      await server.close();
      await drop();
    });

    test('an empty login form names each missing field, in the page language, and is not counted as a wrong password', async () => {
      const person = new Person(server.url);
      const form = await loginForm(person, rp.authUrl({ ui_locales: 'en' }));
      let page = await tryPassword(person, form, '', '');
      assert.equal(page.res.status, 400);
      assert.match(page.body, /Enter your national ID number/);
      assert.match(page.body, /Enter your password/);
      assert.doesNotMatch(page.body, /not correct/);
      assert.match(page.body, /id="pid"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="pid"/s);
      page = await tryPassword(person, { action: form.action, csrf: Person.csrf(page.body) }, pid, '');
      assert.equal(page.res.status, 400);
      assert.match(page.body, /Enter your password/);
      assert.doesNotMatch(page.body, /Enter your national ID number/);
      assert.match(page.body, /data-password-toggle/, 'the password field carries the show-password hook');
      const failures = await server.db.query(`SELECT 1 FROM audit_events WHERE action = 'login.failed'`);
      assert.equal(failures.rows.length, 0, 'no failed login is recorded');
    });

    test('the consent page lists every scope and claim in words, never an identifier', async () => {
      const person = new Person(server.url);
      const form = await loginForm(person, rp.authUrl({ scope: 'openid profile phone', claims: JSON.stringify({ id_token: { ial: null, birthdate: null } }) }));
      const page = await tryPassword(person, form, pid, TEST_PERSON.password);
      assert.match(page.body, /ขอความยินยอม/);
      const list = page.body.match(/<ul class="consent">([\s\S]*?)<\/ul>/)![1]!;
      assert.match(list, /ระดับการยืนยันตัวตนของคุณ/);
      assert.match(list, /หมายเลขโทรศัพท์มือถือ/);
      assert.doesNotMatch(list, /\bial\b|<code>|phone_number|birthdate|openid/);
    });

    test('an unknown client gets a sentence in the page language, not "invalid_client"', async () => {
      const url = rp.authUrl({ ui_locales: 'en' });
      url.searchParams.set('client_id', 'no-such-client');
      const page = await new Person(server.url).follow(url);
      assert.equal(page.res.status, 400);
      assert.match(page.body, /is not registered with Mor Prom Digital ID/);
      assert.doesNotMatch(page.body, /invalid_client|client is invalid/);
      const th = await new Person(server.url).follow(url.toString().replace('ui_locales=en', 'ui_locales=th'));
      assert.match(th.body, /ไม่ได้ลงทะเบียนกับหมอพร้อม ดิจิทัลไอดี/);
    });

    test('logging out says "you are logged out"; logging in again to the same client asks no consent again', async () => {
      const person = new Person(server.url);
      const callback = await person.logInAndConsent(rp.authUrl(), pid, TEST_PERSON.password);
      assert.ok((await rp.tokens(callback)).claims());

      let page = await person.follow(`/session/end?client_id=${rp.clientId}`);
      assert.match(page.body, /op\.logoutForm/);
      const xsrf = page.body.match(/name="xsrf" value="([^"]+)"/)![1]!;
      page = await person.submit(page.body.match(/action="([^"]+)"/)![1]!, { xsrf, logout: 'yes' });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /คุณออกจากระบบแล้ว/);
      assert.match(page.body, /href="\/account\/login"/, 'a way to log in again');

      const again = await loginForm(person, rp.authUrl());
      page = await tryPassword(person, again, pid, TEST_PERSON.password);
      assert.ok(page.external?.startsWith('https://rp.example.test/cb'), `straight back to the client, no consent page: ${page.res.status} ${page.body.slice(0, 200)}`);
    });

    test('the session list names each device and shows Bangkok time; a login on a new device is a notice on /account', async () => {
      const withUa = (ua: string) => {
        const p = new Person(server.url);
        const request = p.request.bind(p);
        p.request = (url, init = {}) => request(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'user-agent': ua } });
        return p;
      };
      const pid2 = pidWithCheckDigit('310990005678');
      await server.app().accounts.create({ ...TEST_PERSON, pid: pid2, phone_number: '0812225566', phone_verified: true });
      const logIn = async (p: Person) => {
        const page = await p.follow('/account/login');
        return p.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: pid2, password: TEST_PERSON.password });
      };
      const first = await logIn(withUa('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'));
      assert.doesNotMatch(first.body, /อุปกรณ์ใหม่/, 'the first login is no news');
      const phone = withUa('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1');
      const second = await logIn(phone);
      assert.match(second.body, /เข้าสู่ระบบบัญชีของคุณจากอุปกรณ์ใหม่: Safari บน iOS/);
      const sessions = await phone.follow('/account/sessions');
      assert.match(sessions.body, /Chrome บน Windows/);
      assert.match(sessions.body, /Safari บน iOS/);
      assert.match(sessions.body, /\d{1,2} [ก-๙.]+ 25\d\d \d\d:\d\d น\./, 'Thai time, Buddhist era');
      assert.doesNotMatch(sessions.body, /AAL|urn:th/, 'the level in words');
      const privacy = await phone.follow('/account/privacy');
      assert.match(privacy.body, /<td data-label="รายการ">เข้าสู่ระบบ<\/td>/);
      assert.doesNotMatch(privacy.body, /login\.succeeded|<code>/);
    });

    test('the account pages\' logout lands on a page that says so, in English when chosen', async () => {
      const person = new Person(server.url);
      let page = await person.follow('/account/login?lang=en');
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid, password: TEST_PERSON.password });
      assert.equal(new URL(page.url).pathname, '/account');
      page = await person.follow('/account/logout');
      const xsrf = page.body.match(/name="xsrf" value="([^"]+)"/)![1]!;
      page = await person.submit(page.body.match(/action="([^"]+)"/)![1]!, { xsrf, logout: 'yes' });
      assert.equal(new URL(page.url).pathname, '/account/logged-out');
      assert.match(page.body, /You are logged out/);
      page = await person.follow('/account');
      assert.match(page.body, /name="password"/, 'the session is gone');
    });
  });
}
