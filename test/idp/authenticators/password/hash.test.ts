// The password hasher: standard PHC strings that both argon2 libraries read, failures as false (never a
// throw), the event loop turning while hashes run, and memory bounded by maxConcurrent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import argon2 from 'argon2';
import { hashSync as rustHashSync } from '@node-rs/argon2';
import { createPasswordHasher } from '../../../../src/idp/authenticators/password/hash.ts';

const MiB = 1024 * 1024;
const PRODUCTION = { memoryKiB: 19456, timeCost: 2, parallelism: 1 };
const small = createPasswordHasher({ memoryKiB: 4096, timeCost: 1, parallelism: 1, maxConcurrent: 2 });

/** Counts timer ticks while `work` runs: a loop blocked by hashing cannot tick. */
async function ticksDuring(work: () => Promise<unknown>) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const t0 = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { ticks, ms: performance.now() - t0 };
}

/** The highest resident memory above the starting point while `work` runs, sampled every millisecond. */
async function peakMemoryDuring(work: () => Promise<unknown>) {
  const base = process.memoryUsage.rss();
  let top = base;
  const timer = setInterval(() => (top = Math.max(top, process.memoryUsage.rss())), 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return (top - base) / MiB;
}

describe('password hasher', () => {
  test('hashes are argon2id PHC strings that node-argon2 verifies, and it verifies node-argon2 hashes', async () => {
    const ours = await small.hash('long enough passphrase');
    assert.match(ours, /^\$argon2id\$v=19\$m=4096,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await argon2.verify(ours, 'long enough passphrase'), true);
    assert.equal(await argon2.verify(ours, 'long enough passphrasE'), false);

    const theirs = await argon2.hash('another passphrase', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    assert.equal(await small.verify(theirs, 'another passphrase'), true);
    assert.equal(await small.verify(theirs, 'another passphrasE'), false);
  });

  test('a hash made with other parameters (older settings) is verified with its own', async () => {
    const older = await argon2.hash('kept from 2025', { type: argon2.argon2id, memoryCost: 8192, timeCost: 3, parallelism: 2 });
    assert.equal(await small.verify(older, 'kept from 2025'), true);
  });

  test('the wrong password, a missing hash or a malformed one give false, never a throw', async () => {
    const stored = await small.hash('long enough passphrase');
    assert.equal(await small.verify(stored, 'wrong passphrase'), false);
    assert.equal(await small.verify(stored, ''), false);
    assert.equal(await small.verify(null, 'long enough passphrase'), false);
    assert.equal(await small.verify(undefined, 'long enough passphrase'), false);
    const [, , version, params, salt, digest] = stored.split('$');
    for (const bad of ['', 'not a phc string', '$argon2id$', `$argon2id$${version}$${params}$${salt}`, `$argon2id$${version}$${params}$${salt}$${digest!.slice(0, 10)}`, `$bcrypt$${version}$${params}$${salt}$${digest}`, '$2b$10$abcdefghijklmnopqrstuv']) {
      assert.equal(await small.verify(bad, 'long enough passphrase'), false, JSON.stringify(bad));
    }
  });

  test('the event loop keeps turning while 4 hashes run at production cost', async () => {
    const hasher = createPasswordHasher({ ...PRODUCTION, maxConcurrent: 2 });
    const four = () => Promise.all(['a', 'b', 'c', 'd'].map((p) => hasher.hash(`passphrase ${p}`)));
    const offLoop = await ticksDuring(four);
    assert.ok(offLoop.ticks >= 4, `${offLoop.ticks} ticks in ${offLoop.ms.toFixed(0)} ms`);
    // the measure itself: the same four hashes computed on the event loop let the timer tick not once
    const options = { algorithm: 2 as const, memoryCost: PRODUCTION.memoryKiB, timeCost: PRODUCTION.timeCost, parallelism: 1 };
    const onLoop = await ticksDuring(async () => ['a', 'b', 'c', 'd'].map((p) => rustHashSync(`passphrase ${p}`, options)));
    assert.equal(onLoop.ticks, 0);
  });

  test('at most maxConcurrent hashes hold memory at once, for hash and verify alike', async () => {
    // 128 MiB per hash makes each one visible in the process's resident memory
    const params = { memoryKiB: 128 * 1024, timeCost: 2, parallelism: 1 };
    const storm = async (maxConcurrent: number) => {
      const hasher = createPasswordHasher({ ...params, maxConcurrent });
      const stored = await hasher.hash('stored');
      return peakMemoryDuring(() => Promise.all([hasher.hash('a'), hasher.hash('b'), hasher.verify(stored, 'c'), hasher.verify(undefined, 'd'), hasher.verify(stored, 'e')]));
    };
    const one = await storm(1);
    const two = await storm(2);
    const four = await storm(4);
    assert.ok(one < 1.5 * 128, `limit 1: ${one.toFixed(0)} MiB at the peak`);
    assert.ok(two > 1.5 * 128 && two < 2.5 * 128, `limit 2: ${two.toFixed(0)} MiB at the peak`);
    assert.ok(four > 2.5 * 128, `limit 4 (the measure sees parallel hashes): ${four.toFixed(0)} MiB at the peak`);
  });
});
