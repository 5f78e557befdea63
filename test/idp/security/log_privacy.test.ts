// No personal data in the IdP's logs, at any level, along the flows that carry it: registration,
// SMS codes (registration, login second factor, phone change), a failed and a good login, recovery.
// ID numbers and phone numbers are looked for in every spelling the person may type (with dashes or
// spaces, in E.164) and percent-decoded; passwords and one-time codes as they were sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { capturedLog, assertNotLogged, type CapturedLog } from '../../helpers/logs.ts';
import { finishConsent, loginForm, outbox, relyingParty, tryPassword } from '../../helpers/login.ts';
import { PRIVACY_NOTICE_VERSION } from '../../../src/idp/account/privacy_notice.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const dashed = (pid: string) => `${pid[0]}-${pid.slice(1, 5)}-${pid.slice(5, 10)}-${pid.slice(10, 12)}-${pid[12]}`;
const wrong = (code: string) => (code === '000000' ? '000001' : '000000');

for (const target of dbTargets()) {
  describe(`no personal data in the IdP's logs on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let server: RunningServer;
    let captured: CapturedLog;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      captured = capturedLog('trace');
      server = await startTestServer(made.db, {}, captured.log);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    test('registration, login with an SMS code, phone change and recovery leave no ID number, phone, password or code in the log', async () => {
      const pid = pidWithCheckDigit('310070000001');
      const password = 'river stone quiet lantern';
      const newPassword = 'a fresh start for the lantern';
      const codes: string[] = [];
      const person = new Person(server.url);

      // registration: the ID number with dashes, the phone with spaces, as people type them
      let page = await person.follow('/register');
      page = await person.submit('/register', {
        csrf: Person.csrf(page.body), pid: dashed(pid), title: 'นาง', given_name: 'มาลี', family_name: 'ศรีสุข', birth_day: '5', birth_month: '6',
        birth_year: '2530', phone: '086 777 0001', password, password_confirm: password, accept_privacy: PRIVACY_NOTICE_VERSION,
      });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      const registration = (await outbox(server, '+66867770001')).code!;
      codes.push(registration);
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: wrong(registration) });
      page = await person.submit('/register/verify', { csrf: Person.csrf(page.body), code: registration });
      assert.equal(page.res.status, 200);
      assert.equal(new URL(page.url).pathname, '/account', 'registered and logged in');

      // a mistyped password, then a login with the SMS second factor
      const rp = await relyingParty(server);
      const browser = new Person(server.url);
      const form = await loginForm(browser, rp.authUrl({ acr_values: 'urn:th:etda:aal:2.1' }));
      assert.equal((await tryPassword(browser, form, pid, 'river stone quiet lanterns')).res.status, 401);
      page = await tryPassword(browser, form, ` ${dashed(pid)} `, password);
      page = await browser.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      const login = (await outbox(server, '+66867770001')).code!;
      codes.push(login);
      page = await browser.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: wrong(login) });
      page = await browser.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: login });
      const tokens = await rp.tokens(await finishConsent(browser, page));

      // a new phone number on the account pages
      page = await browser.follow('/account');
      assert.equal(page.res.status, 200);
      page = await browser.submit('/account/phone', { csrf: Person.csrf(page.body), phone: '+66 86 777 0002' });
      const change = (await outbox(server, '+66867770002')).code!;
      codes.push(change);
      page = await browser.submit('/account/phone/verify', { csrf: Person.csrf(page.body), code: change });
      assert.equal(page.res.status, 200);

      // recovery: ID number and birth date, the code to the new phone, a new password
      const forgetful = new Person(server.url);
      page = await forgetful.follow('/recover');
      page = await forgetful.submit('/recover', { csrf: Person.csrf(page.body), pid, birth_day: '5', birth_month: '6', birth_year: '1987' });
      const recovery = (await outbox(server, '+66867770002')).code!;
      codes.push(recovery);
      page = await forgetful.submit('/recover/verify', { csrf: Person.csrf(page.body), code: wrong(recovery) });
      page = await forgetful.submit('/recover/verify', { csrf: Person.csrf(page.body), code: recovery });
      page = await forgetful.submit('/recover/password', { csrf: Person.csrf(page.body), password: newPassword, password_confirm: newPassword });
      assert.equal(page.res.status, 200);

      // someone else's recovery that matches nothing
      const stranger = new Person(server.url);
      page = await stranger.follow('/recover');
      page = await stranger.submit('/recover', { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, birth_day: '1', birth_month: '1', birth_year: '2500' });
      assert.equal(page.res.status, 200);

      assert.ok(captured.lines.some((l) => l.includes('"msg":"request"')), 'requests are logged');
      assert.ok(captured.lines.length > 30, `${captured.lines.length} lines`);
      assertNotLogged(captured.lines, {
        'ID number': { value: pid, numeric: true },
        'other ID number': { value: TEST_PERSON.pid, numeric: true },
        'phone number': { value: '867770001', numeric: true },
        'new phone number': { value: '867770002', numeric: true },
        password: { value: password },
        'mistyped password': { value: 'river stone quiet lanterns' },
        'new password': { value: newPassword },
        'access token': { value: tokens.access_token },
        'ID token': { value: tokens.id_token! },
        ...Object.fromEntries(codes.map((c, i) => [`one-time code ${i + 1}`, { value: c, numeric: true }])),
      });
    });
  });
}
