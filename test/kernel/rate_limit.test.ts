// The shared rate limiter on both databases, with a controlled clock: events per window, distinct
// members per window, and parallel calls that cannot pass one limit together.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countingStatements, dbTargets, migratedDatabase } from '../helpers/db.ts';
import { createRateLimiter } from '../../src/kernel/rate_limit/index.ts';

for (const target of dbTargets()) {
  describe(`rate limiter on ${target.name}`, () => {
    const suite = migratedDatabase(target);
    let t = Date.parse('2026-03-02T01:00:00Z');
    const limiter = () => createRateLimiter(suite.db, { now: () => t });

    test('events: blocked once the window holds max, until the window (from its first event) ends', async () => {
      const l = limiter();
      const limit = { max: 3, seconds: 60 };
      assert.ok((await l.blocked('k1', limit)).ok);
      assert.ok((await l.hit('k1', limit)).ok);
      t += 10_000;
      assert.ok((await l.hit('k1', limit)).ok);
      const third = await l.hit('k1', limit);
      assert.deepEqual(third, { ok: false, retryAfter: 50 });
      assert.deepEqual(await l.blocked('k1', limit), { ok: false, retryAfter: 50 });
      assert.ok((await l.blocked('k2', limit)).ok, 'keys are separate');
      t += 50_000;
      assert.ok((await l.blocked('k1', limit)).ok, 'a new window');
      assert.ok((await l.hit('k1', limit)).ok, 'counting from one again');
    });

    test('100 parallel events are all counted', async () => {
      const l = limiter();
      const limit = { max: 100, seconds: 60 };
      const verdicts = await Promise.all(Array.from({ length: 100 }, () => l.hit('k3', limit)));
      assert.equal(verdicts.filter((v) => v.ok).length, 99, 'the hundredth fills the window');
      assert.equal((await l.blocked('k3', limit)).ok, false);
    });

    test('checks of one key asked for together share statements, and each sees what was counted before it asked', async () => {
      const counted = countingStatements(suite.db);
      const l = createRateLimiter(counted.db, { now: () => t });
      const limit = { max: 2, seconds: 60 };
      const also = { sql: 'SELECT $4::text AS echoed', params: ['x'] };
      const first = await Promise.all(Array.from({ length: 20 }, () => l.blockedWith<{ echoed: string }>('together', limit, also)));
      assert.ok(counted.count() <= 2, `20 checks in ${counted.count()} statements`);
      assert.ok(first.every((c) => c.verdict.ok && c.row?.echoed === 'x'));
      // a check asked for while another is in flight is answered by a statement sent after it asked
      const inFlight = l.blockedWith('together', limit, also);
      await l.hit('together', limit);
      await l.hit('together', limit);
      const after = l.blockedWith('together', limit, also);
      await inFlight; // sent before the hits: it may or may not see them
      assert.equal((await after).verdict.ok, false, 'the hits counted before it asked are seen');
      assert.equal((await l.blocked('together', limit)).ok, false);
      assert.ok((await l.blockedWith('other', limit, also)).verdict.ok, 'another key is its own check');
    });

    test('members: 100 different ones at once, exactly max admitted; one seen before always passes; refused ones leave no trace', async () => {
      const l = limiter();
      const limit = { max: 10, seconds: 3600 };
      const verdicts = await Promise.all(Array.from({ length: 100 }, (_, i) => l.admit('caller', `person ${i}`, limit)));
      const admitted = verdicts.flatMap((v, i) => (v.ok ? [i] : []));
      assert.equal(admitted.length, 10);
      for (const v of verdicts.filter((v) => !v.ok)) assert.ok(!v.ok && v.retryAfter === 3600);
      for (const i of admitted) assert.ok((await l.admit('caller', `person ${i}`, limit)).ok, 'the same person again');
      const refused = verdicts.findIndex((v) => !v.ok);
      assert.equal((await l.admit('caller', `person ${refused}`, limit)).ok, false);
      t += 3600_000;
      assert.ok((await l.admit('caller', `person ${refused}`, limit)).ok, 'a new hour');
    });
  });
}
