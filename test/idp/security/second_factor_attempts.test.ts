// Wrong second-factor codes at login have their own per-account counter with the password's back-off
// and lock: after the limit even the right authenticator-app or SMS code is refused, in every login of
// the account, while the password itself still works; a password login does not reset the counter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { finishConsent, loginForm, outbox, passedPassword, relyingParty, sleep, tryPassword, type Page, type RelyingParty } from '../../helpers/login.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const LOCK_SECONDS = 2;
const AAL22 = 'urn:th:etda:aal:2.2';
const AAL21 = 'urn:th:etda:aal:2.1';

/** A code the authenticator app does not show now, nor one step before or after. */
async function wrongCode(secret: string): Promise<string> {
  const now = Date.now() / 1000;
  const valid = await Promise.all([-30, 0, 30].map((d) => generate({ secret, epoch: now + d })));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.includes(code)) return code;
  }
}

for (const target of dbTargets()) {
  describe(`second-factor attempts on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let locking: RunningServer;
    let lockingRp: RelyingParty;
    let backingOff: RunningServer;
    let backingOffRp: RelyingParty;

    /** An account with a verified phone and an authenticator app; returns the app's secret. */
    async function accountWithApp(server: RunningServer, who: typeof TEST_PERSON): Promise<string> {
      const { sub } = await server.app().accounts.create({ ...who, phone_verified: true });
      const totp = server.app().authenticators.totp;
      const secret = (await totp.begin(sub, who.pid)).setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(sub, await generate({ secret, epoch: Date.now() / 1000 - 30 })), 'ok');
      return secret;
    }

    /** A new login in a new browser, up to the second-factor page. */
    async function toSecondFactor(server: RunningServer, rp: RelyingParty, who: typeof TEST_PERSON, acr: string) {
      const person = new Person(server.url);
      const page = await tryPassword(person, await loginForm(person, rp.authUrl({ acr_values: acr, ui_locales: 'en' })), who.pid, who.password);
      assert.ok(passedPassword(page), `the password is accepted, got ${page.res.status} ${page.body.slice(0, 200)}`);
      return { person, page };
    }
    const submitCode = (person: Person, page: Page, step: 'totp' | 'sms', code: string) => person.submit(Person.action(page.body, `/${step}`), { csrf: Person.csrf(page.body), code });

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      locking = await startTestServer(made.db, { LOGIN_BACKOFF_AFTER: '1000', LOGIN_ACCOUNT_LOCK_AFTER: '3', LOGIN_LOCK_SECONDS: String(LOCK_SECONDS) });
      lockingRp = await relyingParty(locking);
      backingOff = await startTestServer(made.db, { LOGIN_BACKOFF_AFTER: '2', LOGIN_ACCOUNT_LOCK_AFTER: '1000' });
      backingOffRp = await relyingParty(backingOff);
    });
    after(async () => {
      await locking.close();
      await backingOff.close();
      await drop();
    });

    test('wrong app codes lock the second factor of the account, across logins, while the password still works; the lock passes', async () => {
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit('310020000001'), phone_number: '0892000001' };
      const secret = await accountWithApp(locking, who);
      let { person, page } = await toSecondFactor(locking, lockingRp, who, AAL22);
      for (let i = 0; i < 3; i++) {
        page = await submitCode(person, page, 'totp', await wrongCode(secret));
        assert.equal(page.res.status, 400, `wrong code ${i + 1}`);
      }
      page = await submitCode(person, page, 'totp', await generate({ secret }));
      assert.equal(page.res.status, 429, 'the right code is refused once locked');
      assert.match(page.body, /locked/);
      assert.ok(Number(page.res.headers.get('retry-after')) >= 1);

      // a fresh login: the password counter is its own, so the password passes; the code stays locked
      const second = await toSecondFactor(locking, lockingRp, who, AAL22);
      const stillLocked = await submitCode(second.person, second.page, 'totp', await generate({ secret }));
      assert.equal(stillLocked.res.status, 429, 'the lock is on the account, not on one login');

      await sleep(LOCK_SECONDS * 1000 + 200);
      const done = await submitCode(second.person, stillLocked, 'totp', await generate({ secret }));
      const claims = (await lockingRp.tokens(await finishConsent(second.person, done))).claims()!;
      assert.equal(claims.acr, AAL22, 'after the lock the right code logs in');
    });

    test('a password login in between does not reset the count of wrong codes', async () => {
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit('310020000002'), phone_number: '0892000002' };
      const secret = await accountWithApp(locking, who);
      let { person, page } = await toSecondFactor(locking, lockingRp, who, AAL22);
      for (let i = 0; i < 2; i++) assert.equal((page = await submitCode(person, page, 'totp', await wrongCode(secret))).res.status, 400);
      ({ person, page } = await toSecondFactor(locking, lockingRp, who, AAL22));
      assert.equal((page = await submitCode(person, page, 'totp', await wrongCode(secret))).res.status, 400, 'the third wrong code, in another login');
      page = await submitCode(person, page, 'totp', await generate({ secret }));
      assert.equal(page.res.status, 429, 'two wrong codes before the new password login still count');
    });

    test('wrong SMS codes count on the same lock: the right code is refused although it is still valid', async () => {
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit('310020000003'), phone_number: '0892000003' };
      await locking.app().accounts.create({ ...who, phone_verified: true });
      let { person, page } = await toSecondFactor(locking, lockingRp, who, AAL21);
      page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
      assert.equal(page.res.status, 200);
      const { code } = await outbox(locking, '+66892000003');
      for (let i = 0; i < 3; i++) assert.equal((page = await submitCode(person, page, 'sms', code === '000000' ? '000001' : '000000')).res.status, 400);
      page = await submitCode(person, page, 'sms', code!);
      assert.equal(page.res.status, 429, 'three wrong codes of five allowed tries: refused by the lock, not by the code');
      await sleep(LOCK_SECONDS * 1000 + 200);
      page = await submitCode(person, page, 'sms', code!);
      const claims = (await lockingRp.tokens(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, AAL21);
    });

    test('after LOGIN_BACKOFF_AFTER wrong codes the next one must wait, the right one too', async () => {
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit('310020000004'), phone_number: '0892000004' };
      const secret = await accountWithApp(backingOff, who);
      let { person, page } = await toSecondFactor(backingOff, backingOffRp, who, AAL22);
      for (let i = 0; i < 2; i++) assert.equal((page = await submitCode(person, page, 'totp', await wrongCode(secret))).res.status, 400);
      page = await submitCode(person, page, 'totp', await generate({ secret }));
      assert.equal(page.res.status, 429);
      assert.equal(page.res.headers.get('retry-after'), '1');
      assert.match(page.body, /Too many attempts/);
      await sleep(1100);
      page = await submitCode(person, page, 'totp', await generate({ secret }));
      const claims = (await backingOffRp.tokens(await finishConsent(person, page))).claims()!;
      assert.equal(claims.acr, AAL22);
    });
  });
}
