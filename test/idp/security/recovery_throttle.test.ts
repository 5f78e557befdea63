// Account recovery is throttled per ID number like logins: details that match nothing count as
// failures; past the limit even the right ID number and birth date send no code, from any address,
// until the window has passed, while other ID numbers recover as usual.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { outbox, PersonAt, sleep } from '../../helpers/login.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const LOCK_SECONDS = 2;
const BIRTH = { birth_day: '14', birth_month: '3', birth_year: '2528' }; // TEST_PERSON's 1985-03-14, Buddhist era
const WRONG_BIRTH = (i: number) => ({ ...BIRTH, birth_year: String(2529 + i) });

for (const target of dbTargets()) {
  describe(`recovery throttle on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let locking: RunningServer;
    let backingOff: RunningServer;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      locking = await startTestServer(made.db, { TRUST_PROXY: 'true', LOGIN_BACKOFF_AFTER: '1000', LOGIN_ACCOUNT_LOCK_AFTER: '3', LOGIN_LOCK_SECONDS: String(LOCK_SECONDS) });
      backingOff = await startTestServer(made.db, { TRUST_PROXY: 'true', LOGIN_BACKOFF_AFTER: '2', LOGIN_ACCOUNT_LOCK_AFTER: '1000' });
    });
    after(async () => {
      await locking.close();
      await backingOff.close();
      await drop();
    });

    async function recover(person: Person, pid: string, birth: Record<string, string>) {
      const page = await person.follow('/recover?lang=en');
      assert.equal(page.res.status, 200);
      return person.submit('/recover', { csrf: Person.csrf(page.body), pid, ...birth });
    }
    async function account(server: RunningServer, twelve: string, phone: string) {
      const who = { ...TEST_PERSON, pid: pidWithCheckDigit(twelve), phone_number: phone };
      await server.app().accounts.create({ ...who, phone_verified: true });
      return { ...who, e164: `+66${phone.slice(1)}` };
    }

    test('after the limit the right details send no code, from any address, until the window passed; other ID numbers are not held up', async () => {
      const victim = await account(locking, '310030000001', '0893000001');
      const other = await account(locking, '310030000002', '0893000002');
      const guesser = new PersonAt(locking.url, '203.0.113.30');
      for (let i = 0; i < 3; i++) {
        const page = await recover(guesser, victim.pid, WRONG_BIRTH(i));
        assert.equal(page.res.status, 200, 'a guess looks like any request');
        assert.match(page.url, /\/recover\/verify$/);
      }
      assert.equal((await outbox(locking, victim.e164)).count, 0);

      const refused = await recover(guesser, victim.pid, BIRTH);
      assert.equal(refused.res.status, 429);
      assert.match(refused.body, /locked/);
      const owner = new PersonAt(locking.url, '198.51.100.30');
      assert.equal((await recover(owner, victim.pid, BIRTH)).res.status, 429, 'throttled per ID number, not per address');
      assert.equal((await outbox(locking, victim.e164)).count, 0, 'no code is sent while throttled');

      const someoneElse = await recover(guesser, other.pid, BIRTH);
      assert.equal(someoneElse.res.status, 200);
      assert.equal((await outbox(locking, other.e164)).count, 1, 'another ID number from the same address recovers');

      await sleep(LOCK_SECONDS * 1000 + 200);
      const later = await recover(owner, victim.pid, BIRTH);
      assert.equal(later.res.status, 200);
      assert.equal((await outbox(locking, victim.e164)).count, 1, 'after the window the owner gets the code');
    });

    test('after LOGIN_BACKOFF_AFTER guesses the next request must wait, the right one too', async () => {
      const victim = await account(backingOff, '310030000003', '0893000003');
      const guesser = new PersonAt(backingOff.url, '203.0.113.31');
      for (let i = 0; i < 2; i++) assert.equal((await recover(guesser, victim.pid, WRONG_BIRTH(i))).res.status, 200);
      const waiting = await recover(guesser, victim.pid, BIRTH);
      assert.equal(waiting.res.status, 429);
      assert.equal(waiting.res.headers.get('retry-after'), '1');
      assert.equal((await outbox(backingOff, victim.e164)).count, 0);
      await sleep(1100);
      assert.equal((await recover(guesser, victim.pid, BIRTH)).res.status, 200);
      assert.equal((await outbox(backingOff, victim.e164)).count, 1);
    });
  });
}
