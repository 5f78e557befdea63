// What a login step learns of the account's latest logins (src/idp/login/device.ts), summed up in the
// database: how many, the latest login time (the next login takes a later one), and whether this
// device is among them (else "a login on a new device").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets, migratedDatabase } from '../../helpers/db.ts';
import { audit } from '../../../src/kernel/audit/index.ts';
import { EARLIER_LOGINS_SEEN, earlierLogins, type Device } from '../../../src/idp/login/device.ts';

const CHROME_WINDOWS: Device = { browser: 'Chrome', system: 'Windows' };
const FIREFOX_LINUX: Device = { browser: 'Firefox', system: 'Linux' };

for (const target of dbTargets()) {
  describe(`earlier logins on ${target.name}`, () => {
    const t = migratedDatabase(target);
    const login = (sub: string, detail: Record<string, unknown>) => audit(t.db, { actor: sub, action: 'login.succeeded', subject: sub, detail });

    test('a first login has none', async () => {
      assert.deepEqual(await earlierLogins(t.db, 'sub-first', CHROME_WINDOWS), { logins: 0, lastTs: 0, known: false });
    });

    test('the latest login time, and this device among them or not; other people and other actions do not count', async () => {
      await login('sub-a', { ts: 1_700_000_100, device: CHROME_WINDOWS });
      await login('sub-a', { ts: 1_700_000_300, device: { browser: 'Chrome' } });
      await login('sub-a', { ts: 'not a number', device: CHROME_WINDOWS });
      await login('sub-b', { ts: 1_800_000_000, device: FIREFOX_LINUX });
      await audit(t.db, { actor: 'sub-a', action: 'login.new_device', subject: 'sub-a', detail: { ts: 1_900_000_000, device: FIREFOX_LINUX } });
      assert.deepEqual(await earlierLogins(t.db, 'sub-a', CHROME_WINDOWS), { logins: 3, lastTs: 1_700_000_300, known: true });
      assert.deepEqual(await earlierLogins(t.db, 'sub-a', FIREFOX_LINUX), { logins: 3, lastTs: 1_700_000_300, known: false });
      // a name the User-Agent did not give is '?', on both sides
      assert.equal((await earlierLogins(t.db, 'sub-a', { browser: 'Chrome' })).known, true);
      assert.equal((await earlierLogins(t.db, 'sub-a', { system: 'Windows' })).known, false);
    });

    test(`only the latest ${EARLIER_LOGINS_SEEN} logins are looked at`, async () => {
      await login('sub-c', { ts: 1_600_000_000, device: FIREFOX_LINUX });
      for (let i = 1; i <= EARLIER_LOGINS_SEEN; i++) await login('sub-c', { ts: 1_600_000_000 + i, device: CHROME_WINDOWS });
      assert.deepEqual(await earlierLogins(t.db, 'sub-c', FIREFOX_LINUX), { logins: EARLIER_LOGINS_SEEN, lastTs: 1_600_000_000 + EARLIER_LOGINS_SEEN, known: false });
    });
  });
}
