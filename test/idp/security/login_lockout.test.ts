// Password guessing at the login form meets the README's limits: after LOGIN_BACKOFF_AFTER failures
// each attempt waits 1 s, 2 s, …; after LOGIN_ACCOUNT_LOCK_AFTER the account is locked, even for the
// right password and from any address, until LOGIN_LOCK_SECONDS have passed; a client address is
// locked after LOGIN_ADDRESS_LOCK_AFTER failures across accounts. Small limits keep the waits short.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { loginForm, passedPassword, PersonAt, relyingParty, sleep, tryPassword, type RelyingParty } from '../../helpers/login.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const LOCK_SECONDS = 2;

for (const target of dbTargets()) {
  describe(`login lockout on ${target.name}`, () => {
    let drop: () => Promise<void>;
    /** locks after 3 failures per account and 5 per address; no back-off to keep the lock apart */
    let locking: RunningServer;
    let lockingRp: RelyingParty;
    /** backs off after 2 failures; no lock */
    let backingOff: RunningServer;
    let backingOffRp: RelyingParty;

    const person = (server: RunningServer, address: string) => new PersonAt(server.url, address);
    const url = (rp: RelyingParty) => rp.authUrl({ ui_locales: 'en', prompt: 'consent' });

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      // two servers on one database: the counters they share live there
      locking = await startTestServer(made.db, {
        TRUST_PROXY: 'true', LOGIN_BACKOFF_AFTER: '1000', LOGIN_ACCOUNT_LOCK_AFTER: '3', LOGIN_ADDRESS_LOCK_AFTER: '5', LOGIN_LOCK_SECONDS: String(LOCK_SECONDS),
      });
      lockingRp = await relyingParty(locking);
      backingOff = await startTestServer(made.db, { TRUST_PROXY: 'true', LOGIN_BACKOFF_AFTER: '2', LOGIN_ACCOUNT_LOCK_AFTER: '1000' });
      backingOffRp = await relyingParty(backingOff);
    });
    after(async () => {
      await locking.close();
      await backingOff.close();
      await drop();
    });

    test('after LOGIN_ACCOUNT_LOCK_AFTER failures even the right password is refused, from any address, until LOGIN_LOCK_SECONDS passed', async () => {
      const victim = { ...TEST_PERSON, pid: pidWithCheckDigit('310010000001') };
      await locking.app().accounts.create(victim);
      const guesser = person(locking, '203.0.113.10');
      const form = await loginForm(guesser, url(lockingRp));
      for (let i = 0; i < 3; i++) assert.equal((await tryPassword(guesser, form, victim.pid, `guess ${i}`)).res.status, 401);

      const refused = await tryPassword(guesser, form, victim.pid, victim.password);
      assert.equal(refused.res.status, 429, 'the right password is refused while locked');
      assert.match(refused.body, /locked/);
      const retryAfter = Number(refused.res.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= LOCK_SECONDS, `Retry-After ${retryAfter}`);

      const owner = person(locking, '198.51.100.20');
      const elsewhere = await tryPassword(owner, await loginForm(owner, url(lockingRp)), victim.pid, victim.password);
      assert.equal(elsewhere.res.status, 429, 'the lock is on the account, not on the address that guessed');

      await sleep(LOCK_SECONDS * 1000 + 200);
      const later = await tryPassword(owner, await loginForm(owner, url(lockingRp)), victim.pid, victim.password);
      assert.ok(passedPassword(later), `accepted once the lock has passed, got ${later.res.status}`);
    });

    test('failures further apart than LOGIN_LOCK_SECONDS do not add up to a lock', async () => {
      const victim = { ...TEST_PERSON, pid: pidWithCheckDigit('310010000002') };
      await locking.app().accounts.create(victim);
      const guesser = person(locking, '203.0.113.11');
      const form = await loginForm(guesser, url(lockingRp));
      for (let i = 0; i < 2; i++) assert.equal((await tryPassword(guesser, form, victim.pid, `guess ${i}`)).res.status, 401);
      await sleep(LOCK_SECONDS * 1000 + 200);
      assert.equal((await tryPassword(guesser, form, victim.pid, 'guess 2')).res.status, 401, 'a new window starts');
      const right = await tryPassword(guesser, form, victim.pid, victim.password);
      assert.ok(passedPassword(right), `not locked: only one failure in the window, got ${right.res.status}`);
    });

    test('an address is locked after LOGIN_ADDRESS_LOCK_AFTER failures across accounts; other addresses are not', async () => {
      const bystander = { ...TEST_PERSON, pid: pidWithCheckDigit('310010000003') };
      await locking.app().accounts.create(bystander);
      const sprayer = person(locking, '203.0.113.12');
      const form = await loginForm(sprayer, url(lockingRp));
      // one guess each at five ID numbers: no account reaches its own limit
      for (let i = 0; i < 5; i++) assert.equal((await tryPassword(sprayer, form, pidWithCheckDigit(`31001000010${i}`), 'password1')).res.status, 401);

      const fromThere = await tryPassword(sprayer, form, bystander.pid, bystander.password);
      assert.equal(fromThere.res.status, 429, 'the address is locked, even for an account that never failed');
      assert.match(fromThere.body, /locked/);
      const fromElsewhere = person(locking, '198.51.100.21');
      const ok = await tryPassword(fromElsewhere, await loginForm(fromElsewhere, url(lockingRp)), bystander.pid, bystander.password);
      assert.ok(passedPassword(ok), `another address logs in, got ${ok.res.status}`);

      await sleep(LOCK_SECONDS * 1000 + 200);
      const again = await tryPassword(sprayer, await loginForm(sprayer, url(lockingRp)), bystander.pid, bystander.password);
      assert.ok(passedPassword(again), `the address lock passes too, got ${again.res.status}`);
    });

    test('after LOGIN_BACKOFF_AFTER failures each attempt waits 1 s, then 2 s: the right password too', async () => {
      const victim = { ...TEST_PERSON, pid: pidWithCheckDigit('310010000004') };
      await backingOff.app().accounts.create(victim);
      const guesser = person(backingOff, '203.0.113.13');
      const form = await loginForm(guesser, url(backingOffRp));
      for (let i = 0; i < 2; i++) assert.equal((await tryPassword(guesser, form, victim.pid, `guess ${i}`)).res.status, 401);

      let r = await tryPassword(guesser, form, victim.pid, victim.password);
      assert.equal(r.res.status, 429);
      assert.equal(r.res.headers.get('retry-after'), '1');
      assert.match(r.body, /Too many attempts/);
      await sleep(1100);
      assert.equal((await tryPassword(guesser, form, victim.pid, 'guess 2')).res.status, 401, 'after the wait an attempt is made again');

      r = await tryPassword(guesser, form, victim.pid, victim.password);
      assert.equal(r.res.status, 429);
      assert.equal(r.res.headers.get('retry-after'), '2', 'the wait doubles');
      await sleep(1100);
      assert.equal((await tryPassword(guesser, form, victim.pid, victim.password)).res.status, 429, 'one second of two is not enough');
      await sleep(1100);
      r = await tryPassword(guesser, form, victim.pid, victim.password);
      assert.ok(passedPassword(r), `the right password after the wait, got ${r.res.status}`);
    });
  });
}
