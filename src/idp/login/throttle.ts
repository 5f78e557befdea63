// Failed-login limits per account and per client address: exponential back-off after a few failures,
// then a temporary lock. Counters live in the database so every server process shares them.
// Keys are keyed hashes, so neither the ID number nor the address is stored in clear.
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';

export interface ThrottleLimits {
  backoffAfter: number;
  accountLockAfter: number;
  addressLockAfter: number;
  lockSeconds: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; locked: boolean; retryAfter: number };

type Row = {
  key: Uint8Array;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
};

export function createLoginThrottle(db: Database, pii: Pii, limits: ThrottleLimits) {
  const keys = (pid: string, address: string) => ({
    account: pii.index(pid, 'throttle:account'),
    address: pii.index(address, 'throttle:address'),
  });

  // failures older than the lock window no longer count
  const live = (r: Row, now: number) => (now - r.last_failure_at.getTime() > limits.lockSeconds * 1000 ? 0 : r.failures);

  return {
    async check(pid: string, address: string, now = Date.now()): Promise<ThrottleVerdict> {
      const k = keys(pid, address);
      const { rows } = await db.query<Row>('SELECT key, failures, last_failure_at, locked_until FROM login_throttle WHERE key = ANY($1::bytea[])', [
        [k.account, k.address],
      ]);
      let verdict: ThrottleVerdict = { ok: true };
      for (const r of rows) {
        if (r.locked_until && r.locked_until.getTime() > now) {
          return { ok: false, locked: true, retryAfter: Math.ceil((r.locked_until.getTime() - now) / 1000) };
        }
        // back-off is per account only: many people share one address behind a hospital's NAT
        if (!Buffer.from(r.key).equals(k.account)) continue;
        const failures = live(r, now);
        if (failures >= limits.backoffAfter) {
          const wait = Math.min(2 ** (failures - limits.backoffAfter), 300) * 1000;
          const left = r.last_failure_at.getTime() + wait - now;
          if (left > 0) verdict = { ok: false, locked: false, retryAfter: Math.ceil(left / 1000) };
        }
      }
      return verdict;
    },

    async fail(pid: string, address: string): Promise<void> {
      const k = keys(pid, address);
      for (const [key, lockAfter] of [
        [k.account, limits.accountLockAfter],
        [k.address, limits.addressLockAfter],
      ] as const) {
        await db.query(
          `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, now())
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN login_throttle.last_failure_at < now() - make_interval(secs => $2::int)
                              OR login_throttle.locked_until IS NOT NULL THEN 1 ELSE login_throttle.failures + 1 END,
             last_failure_at = now(),
             locked_until = NULL`,
          [key, limits.lockSeconds],
        );
        await db.query(
          `UPDATE login_throttle SET locked_until = now() + make_interval(secs => $3::int)
           WHERE key = $1 AND failures >= $2`,
          [key, lockAfter, limits.lockSeconds],
        );
      }
    },

    async succeed(pid: string): Promise<void> {
      await db.query('DELETE FROM login_throttle WHERE key = $1', [keys(pid, '').account]);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
