// Issue 18, item 5: a burst of 200 simultaneous password logins (200 people, each their own browser,
// through the real forms over HTTP) on both databases. Every login reaches the relying party, and never
// more than ARGON2_MAX_CONCURRENT hashes run at once in the process (so memory stays at that × the
// argon2 memory however many people log in); the others wait their turn.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../../helpers/db.ts';
import { addClient, pidWithCheckDigit, startTestServer, TEST_PERSON } from '../../../helpers/server.ts';
import { Person } from '../../../helpers/person.ts';
import { hashQueue } from '../../../../src/idp/authenticators/password/hash.ts';
import type { RunningServer } from '../../../../src/idp/server.ts';

const BURST = 200;
const MAX_CONCURRENT = 3;
const REDIRECT = 'https://rp.example.test/cb';

for (const target of dbTargets()) {
  describe(`${BURST} simultaneous password logins on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let clientId: string;
    const pids = Array.from({ length: BURST }, (_, i) => pidWithCheckDigit(`52${String(i).padStart(10, '0')}`));

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      // one address for all (the test's loopback): its lock is set above the burst, as a hospital's NAT needs
      server = await startTestServer(made.db, { ARGON2_MAX_CONCURRENT: String(MAX_CONCURRENT), LOGIN_ADDRESS_LOCK_AFTER: String(BURST * 2) });
      for (const pid of pids) await server.app().accounts.create({ ...TEST_PERSON, pid, phone_verified: true });
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      clientId = client.client_id;
    });

    after(async () => {
      await server?.close();
      await drop?.();
    });

    test('all succeed, and the hashes in flight never pass the bound', async () => {
      let peak = 0;
      const sample = setInterval(() => {
        peak = Math.max(peak, hashQueue.active);
      }, 1);
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const rss = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
      try {
        const results = await Promise.all(pids.map(async (pid) => {
          const person = new Person(server.url);
          const url = new URL('/auth', server.url);
          url.search = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', nonce: 'n' }).toString();
          const callback = new URL(await person.logInAndConsent(url, pid, TEST_PERSON.password));
          return callback.searchParams.get('code');
        }));
        assert.equal(results.filter((code) => typeof code === 'string' && code.length > 0).length, BURST, 'every login ended at the relying party with a code');
      } finally {
        clearInterval(sample);
        clearInterval(rss);
      }
      assert.ok(peak <= MAX_CONCURRENT, `at most ${MAX_CONCURRENT} hashes at once, saw ${peak}`);
      assert.ok(peak >= 2, `hashes ran side by side (peak ${peak})`);
      // on PostgreSQL the burst reaches the hash all at once and fills every slot; embedded PGlite runs
      // one statement at a time, which spaces the logins out before they get there. (How many waited is
      // not asserted: a sampler on a busy machine can miss the moments the queue is not empty.)
      if (target.name === 'postgres') assert.equal(peak, MAX_CONCURRENT, 'the burst filled every slot');
      // bounded hashing: far below 200 × the argon2 memory (8 MiB in tests) of an unbounded burst
      const grownMiB = (rssPeak - rssBefore) / 2 ** 20;
      assert.ok(grownMiB < 800, `RSS grew ${grownMiB.toFixed(0)} MiB under the burst`);
    });
  });
}
