// The password hasher: PHC strings both argon2 libraries read, off the event loop, bounded concurrency.
// (The password rules are tested in password_policy.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import argon2 from 'argon2';
import { createPasswordHasher } from '../../src/account/password.ts';

test('hashes are PHC strings that node-argon2 verifies too, and the other way round', async () => {
  const hasher = createPasswordHasher({ memoryKiB: 4096, timeCost: 1, parallelism: 1, maxConcurrent: 2 });
  const ours = await hasher.hash('long enough passphrase');
  assert.match(ours, /^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
  assert.equal(await argon2.verify(ours, 'long enough passphrase'), true);
  const theirs = await argon2.hash('another passphrase', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
  assert.equal(await hasher.verify(theirs, 'another passphrase'), true);
  assert.equal(await hasher.verify(theirs, 'wrong'), false);
  assert.equal(await hasher.verify('not a phc string', 'x'), false, 'a malformed hash is a failed check, not a crash');
  assert.equal(await hasher.verify(undefined, 'x'), false);
});

test('hashing keeps the event loop turning, and at most maxConcurrent hashes run at once', async () => {
  const one = createPasswordHasher({ memoryKiB: 19456, timeCost: 2, parallelism: 1, maxConcurrent: 1 });
  const time = async (h: typeof one) => {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 4 }, () => h.hash('passphrase for timing')));
    return performance.now() - t0;
  };
  await one.hash('warm up');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const serial = await time(one);
  clearInterval(timer);
  assert.ok(ticks >= 3, `the event loop kept running during hashing (${ticks} ticks)`);
  const single = await (async () => {
    const t0 = performance.now();
    await one.hash('one');
    return performance.now() - t0;
  })();
  // with a limit of one, four hashes take about four times one hash: they queued
  assert.ok(serial > single * 2.5, `four hashes with maxConcurrent 1 queue (${serial.toFixed(0)} ms vs ${single.toFixed(0)} ms for one)`);
});
