// Password hashing with argon2id. Hashes run on libuv's thread pool (never on the event loop), and a
// semaphore bounds how many run at once so memory stays at maxConcurrent × memoryKiB under a storm.
import argon2 from 'argon2';

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

function semaphore(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export function createPasswordHasher(p: Argon2Params): PasswordHasher {
  const options = { type: argon2.argon2id as 2, memoryCost: p.memoryKiB, timeCost: p.timeCost, parallelism: p.parallelism };
  const run = semaphore(p.maxConcurrent);
  // made lazily once: verifying unknown accounts against it makes "no such account" cost the same
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => run(() => argon2.hash(password, options)),
    async verify(hash, password) {
      if (!hash) {
        dummy ??= run(() => argon2.hash('timing-equaliser', options));
        const h = await dummy;
        await run(() => argon2.verify(h, password));
        return false;
      }
      try {
        return await run(() => argon2.verify(hash, password));
      } catch {
        return false;
      }
    },
  };
}
