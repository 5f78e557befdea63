// Password hashing with argon2id through @node-rs/argon2 (measured ~1.6× faster than node-argon2 at the
// same parameters: docs/benchmarks.md; both read and write standard PHC strings). Hashes run on libuv's
// thread pool, never on the event loop, and a semaphore bounds how many run at once so memory stays at
// maxConcurrent × memoryKiB under a login storm.
import { hash as argon2Hash, verify as argon2Verify, type Options } from '@node-rs/argon2';

// Algorithm.Argon2id (a const enum in the library's types, which type stripping cannot read)
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

export interface Argon2Params {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
  maxConcurrent: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Verifies against a PHC string; with no hash, spends the same work and returns false. */
  verify(hash: string | null | undefined, password: string): Promise<boolean>;
}

/** Hashes running and waiting in this process, over every hasher (the metrics read it). */
export const hashQueue = { active: 0, waiting: 0 };

// A finishing run hands its slot straight to the next waiter: freeing it first would let a call made
// before the waiter resumes take the slot too, and exceed the limit.
function semaphore(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active < limit) active++;
    else {
      hashQueue.waiting++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      hashQueue.waiting--;
    }
    hashQueue.active++;
    try {
      return await fn();
    } finally {
      hashQueue.active--;
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export function createPasswordHasher(p: Argon2Params): PasswordHasher {
  const options = { algorithm: ARGON2ID, memoryCost: p.memoryKiB, timeCost: p.timeCost, parallelism: p.parallelism };
  const run = semaphore(p.maxConcurrent);
  // made lazily once: verifying unknown accounts against it makes "no such account" cost the same
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => run(() => argon2Hash(password, options)),
    async verify(hash, password) {
      if (!hash) {
        dummy ??= run(() => argon2Hash('timing-equaliser', options)).catch((e: unknown) => {
          dummy = undefined; // a failure (out of memory) is not kept for every later call
          throw e;
        });
        const h = await dummy;
        await run(() => argon2Verify(h, password));
        return false;
      }
      try {
        return await run(() => argon2Verify(hash, password));
      } catch {
        return false;
      }
    },
  };
}
