// Issue 11, item 3: the login throttle under parallel guesses, on both databases. Each attempt is
// reserved before its password is checked, so a burst of wrong passwords cannot all reach the check;
// the lock holds until its time has passed (a controlled clock, no sleeping), a failure arriving
// after the lock never clears it, and refused attempts change nothing. Once through HTTP as well.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets, migratedDatabase } from '../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { createLoginThrottle, type ThrottleLimits } from '../../../src/idp/login/throttle.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { sweep } from '../../../src/idp/sweep.ts';
import { createRateLimiter } from '../../../src/kernel/rate_limit/index.ts';

const pii = createPii(Buffer.alloc(32, 3));
const LIMITS: ThrottleLimits = { backoffAfter: 3, accountLockAfter: 10, addressLockAfter: 50, lockSeconds: 900 };
let serial = 0;
const newPid = () => pidWithCheckDigit(`31${String(serial++).padStart(10, '0')}`);

for (const target of dbTargets()) {
  describe(`login throttle under attack on ${target.name}`, () => {
    const suite = migratedDatabase(target);
    let t = Date.parse('2026-03-02T08:00:00Z');
    const clock = () => t;
    const throttle = (limits: Partial<ThrottleLimits> = {}) => createLoginThrottle(suite.db, pii, { ...LIMITS, ...limits }, clock);

    /** n wrong passwords at once: every check answers before any failure is recorded. */
    async function burst(th: ReturnType<typeof throttle>, n: number, who: (i: number) => { pid: string; address: string }) {
      const verdicts = await Promise.all(Array.from({ length: n }, (_, i) => th.check(who(i).pid, who(i).address)));
      const checked = verdicts.flatMap((v, i) => (v.ok ? [i] : []));
      await Promise.all(checked.map((i) => th.fail(who(i).pid, who(i).address)));
      return { verdicts, checked: checked.length };
    }

    test('200 simultaneous wrong passwords for one account: only LOGIN_BACKOFF_AFTER reach the check', async () => {
      const th = throttle();
      const pid = newPid();
      const { verdicts, checked } = await burst(th, 200, () => ({ pid, address: '10.1.0.1' }));
      assert.equal(checked, LIMITS.backoffAfter);
      for (const v of verdicts.filter((v) => !v.ok)) assert.ok(!v.ok && v.retryAfter >= 1);
      // the back-off now runs from the last failure: 1 s, and the refused 197 did not move it
      t += 500;
      assert.equal((await th.check(pid, '10.1.0.1')).ok, false);
      t += 500;
      const next = await th.check(pid, '10.1.0.1');
      assert.ok(next.ok, 'one more attempt after 1 s');
      await th.fail(pid, '10.1.0.1');
      t += 1000;
      assert.equal((await th.check(pid, '10.1.0.1')).ok, false, 'then 2 s');
    });

    test('sequential guesses: each back-off step admits one, refused ones count nothing, and the 10th failure locks', async () => {
      const th = throttle();
      const pid = newPid();
      let checked = 0;
      for (let i = 0; i < 20; i++) {
        if ((await th.check(pid, '10.1.0.2')).ok) {
          checked++;
          await th.fail(pid, '10.1.0.2');
        }
      }
      assert.equal(checked, LIMITS.backoffAfter, 'twenty at once: three checked, seventeen refused and not counted');
      // wait out each back-off (1, 2, 4 … 64 s) and guess again until the lock
      while (checked < LIMITS.accountLockAfter) {
        const v = await th.check(pid, '10.1.0.2');
        assert.ok(!v.ok && !v.locked, 'backing off, not locked yet');
        t += v.retryAfter * 1000;
        assert.ok((await th.check(pid, '10.1.0.2')).ok);
        await th.fail(pid, '10.1.0.2');
        checked++;
      }
      const locked = await th.check(pid, '10.1.0.2');
      assert.ok(!locked.ok && locked.locked);
      assert.equal(locked.retryAfter, LIMITS.lockSeconds);
    });

    test('after the lock even the right password is refused until the lock time has passed, then accepted', async () => {
      const th = throttle();
      const pid = newPid();
      const lockedAt = await lockAccount(th, pid, '10.1.0.3');
      // refused attempts during the lock neither count nor extend it
      for (let i = 0; i < 30; i++) assert.equal((await th.check(pid, '10.1.0.3')).ok, false);
      t = lockedAt + (LIMITS.lockSeconds - 1) * 1000;
      const almost = await th.check(pid, '10.1.0.3');
      assert.ok(!almost.ok && almost.locked && almost.retryAfter === 1, 'one second left');
      t = lockedAt + LIMITS.lockSeconds * 1000;
      assert.ok((await th.check(pid, '10.1.0.3')).ok, 'the right password is checked again');
      await th.succeed(pid, '10.1.0.3');
      const { rows } = await suite.db.query('SELECT 1 FROM login_throttle WHERE key = $1', [pii.index(pid, 'throttle:account')]);
      assert.equal(rows.length, 0, 'and the counter starts again from nothing');
    });

    test('a failure arriving after the lock does not reset the counter or clear the lock', async () => {
      const th = throttle();
      const pid = newPid();
      const lockedAt = await lockAccount(th, pid, '10.1.0.4');
      t = lockedAt + 60_000;
      // a late failure (an attempt that was under way, or a passkey failure) after the lock was set
      await th.fail(pid, '10.1.0.4');
      const v = await th.check(pid, '10.1.0.4');
      assert.ok(!v.ok && v.locked, 'still locked');
      assert.equal(v.retryAfter, LIMITS.lockSeconds - 60, 'the lock ends when it ended before');
      const { rows } = await suite.db.query<{ failures: number }>('SELECT failures FROM login_throttle WHERE key = $1', [pii.index(pid, 'throttle:account')]);
      assert.equal(rows[0]!.failures, LIMITS.accountLockAfter + 1, 'the counter went on, not back to 1');
    });

    test('parallel attempts that will all fail the lock threshold: the lock is set once and holds', async () => {
      // no back-off before the lock: LOGIN_ACCOUNT_LOCK_AFTER attempts may be checked at once, no more
      const th = throttle({ backoffAfter: 10, accountLockAfter: 10 });
      const pid = newPid();
      const { checked } = await burst(th, 100, () => ({ pid, address: '10.1.0.5' }));
      assert.equal(checked, 10);
      const v = await th.check(pid, '10.1.0.5');
      assert.ok(!v.ok && v.locked && v.retryAfter === LIMITS.lockSeconds);
    });

    test('the address lock: 200 simultaneous guesses at 200 accounts from one address, at most LOGIN_ADDRESS_LOCK_AFTER checked', async () => {
      const th = throttle();
      const pids = Array.from({ length: 200 }, newPid);
      const { checked } = await burst(th, 200, (i) => ({ pid: pids[i]!, address: '10.9.9.9' }));
      assert.equal(checked, LIMITS.addressLockAfter);
      const fresh = await th.check(newPid(), '10.9.9.9');
      assert.ok(!fresh.ok && fresh.locked, 'the address is locked for every account');
      assert.ok((await th.check(newPid(), '10.9.9.10')).ok, 'another address is not');
      t += LIMITS.lockSeconds * 1000;
      assert.ok((await th.check(newPid(), '10.9.9.9')).ok, 'until the lock time has passed');
    });

    test('correct logins from a shared address do not count against it; a released attempt counts nothing', async () => {
      const th = throttle({ addressLockAfter: 3 });
      for (let i = 0; i < 10; i++) {
        const pid = newPid();
        assert.ok((await th.check(pid, '10.7.7.7')).ok);
        await th.succeed(pid, '10.7.7.7');
      }
      const pid = newPid();
      for (let i = 0; i < 10; i++) {
        assert.ok((await th.check(pid, '10.7.7.7')).ok);
        await th.release(pid, '10.7.7.7');
      }
      assert.ok((await th.check(newPid(), '10.7.7.7')).ok);
    });

    test('the sweep removes counters whose window and lock are over, and keeps a lock that holds', async () => {
      const old = Date.now() - 3 * 86400_000;
      const spent = createLoginThrottle(suite.db, pii, LIMITS, () => old);
      const oldPid = newPid();
      assert.ok((await spent.check(oldPid, '10.8.0.1')).ok);
      await spent.fail(oldPid, '10.8.0.1');
      await createRateLimiter(suite.db, { now: () => old }).hit('spent', { max: 1, seconds: 60 });
      const current = createLoginThrottle(suite.db, pii, { ...LIMITS, accountLockAfter: 1 }, Date.now);
      const lockedPid = newPid();
      assert.ok((await current.check(lockedPid, '10.8.0.2')).ok);
      await current.fail(lockedPid, '10.8.0.2');
      await sweep(suite.db);
      const left = async (sql: string, key: Buffer) => (await suite.db.query(sql, [key])).rows.length;
      assert.equal(await left('SELECT 1 FROM login_throttle WHERE key = $1', pii.index(oldPid, 'throttle:account')), 0);
      assert.equal(await left('SELECT 1 FROM rate_limits WHERE key = $1', Buffer.from('spent')), 0);
      assert.equal(await left('SELECT 1 FROM login_throttle WHERE key = $1', pii.index(lockedPid, 'throttle:account')), 1);
    });

    /** Ten failures with the back-off waited out; returns the time of the lock. */
    async function lockAccount(th: ReturnType<typeof throttle>, pid: string, address: string): Promise<number> {
      for (let failures = 0; failures < LIMITS.accountLockAfter; failures++) {
        let v = await th.check(pid, address);
        if (!v.ok) {
          t += v.retryAfter * 1000;
          v = await th.check(pid, address);
        }
        assert.ok(v.ok);
        await th.fail(pid, address);
      }
      const v = await th.check(pid, address);
      assert.ok(!v.ok && v.locked);
      return t;
    }
  });

  describe(`parallel wrong passwords at the login form on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;
    const REDIRECT = 'https://rp.example.test/cb';

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      // the lock right at the back-off: real time cannot end it during the test
      server = await startTestServer(made.db, { LOGIN_BACKOFF_AFTER: '3', LOGIN_ACCOUNT_LOCK_AFTER: '3' });
      await server.app().accounts.create(TEST_PERSON);
      const client = await addClient(server, { redirect_uris: [REDIRECT], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    });
    after(async () => {
      await server.close();
      await drop();
    });

    test('40 simultaneous POSTs with wrong passwords: three are checked (401), the rest 429 with Retry-After, then locked', async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ui_locales: 'en' });
      const person = new Person(server.url);
      const page = await person.follow(url);
      const action = Person.action(page.body, '/login');
      const csrf = Person.csrf(page.body);
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => person.submit(action, { csrf, pid: TEST_PERSON.pid, password: `guess ${i}` })),
      );
      const statuses = answers.map((a) => a.res.status);
      assert.equal(statuses.filter((s) => s === 401).length, 3, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 37, statuses.join(','));
      for (const a of answers.filter((a) => a.res.status === 429)) {
        assert.ok(Number(a.res.headers.get('retry-after')) >= 1);
        assert.match(a.body, /Too many attempts|locked for a while/);
      }
      const right = await person.submit(action, { csrf, pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      assert.equal(right.res.status, 429, 'the right password is refused while the account is locked');
      assert.match(right.body, /locked for a while/);
    });
  });
}
