// Failed-login limits per account and per client address: exponential back-off after a few failures,
// then a temporary lock. Counters live in the database so every server process shares them; keys are
// keyed hashes, so neither the ID number nor the address is stored in clear.
// An attempt is reserved before the secret is checked (check: one upsert that counts it as pending and
// decides; migration 0026 does the address's and the account's in one call), then ends as fail, succeed or release. Pending attempts count like failures, so parallel
// guesses cannot all pass one check. A refused attempt changes nothing: it neither counts nor extends a
// back-off or lock (else anyone could keep a person locked out); a late failure never clears a lock.
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Clock } from '../../kernel/rate_limit/index.ts';

export interface ThrottleLimits {
  backoffAfter: number;
  accountLockAfter: number;
  addressLockAfter: number;
  lockSeconds: number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; locked: boolean; retryAfter: number };

type Row = { failures: number; pending: number; last_failure_at: Date; pending_since: Date | null; locked_until: Date | null };

// $1 key, $2 now, $3 window (seconds), $4 lock after, $5 back-off after (NULL: no back-off, the address)
const WINDOW = 'make_interval(secs => $3::int)';
const FAILURES = `(CASE WHEN t.last_failure_at <= $2::timestamptz - ${WINDOW} THEN 0 ELSE t.failures END)`;
const PENDING = `(CASE WHEN t.pending_since IS NULL OR t.pending_since <= $2::timestamptz - ${WINDOW} THEN 0 ELSE t.pending END)`;
const TRIES = `(${FAILURES} + ${PENDING})`;

const FAILED = `
  INSERT INTO login_throttle AS t (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2::timestamptz, CASE WHEN 1 >= $4::int THEN $2::timestamptz + ${WINDOW} END)
  ON CONFLICT (key) DO UPDATE SET
    failures = ${FAILURES} + 1,
    pending = greatest(${PENDING} - 1, 0),
    last_failure_at = $2::timestamptz,
    locked_until = CASE WHEN t.locked_until > $2::timestamptz THEN t.locked_until
                        WHEN ${FAILURES} + 1 >= $4::int THEN $2::timestamptz + ${WINDOW}
                        ELSE t.locked_until END`;

export function createLoginThrottle(db: Database, pii: Pii, limits: ThrottleLimits, now: Clock = Date.now) {
  const accountKey = (pid: string) => pii.index(pid, 'throttle:account');
  const addressKey = (address: string) => pii.index(address, 'throttle:address');
  const windowMs = limits.lockSeconds * 1000;
  const unreserve = (key: Buffer) => db.query('UPDATE login_throttle SET pending = greatest(pending - 1, 0) WHERE key = $1', [key]);

  /** Why a reservation was refused, for the page and Retry-After. */
  async function refusal(key: Buffer, at: number, lockAfter: number, backoffAfter: number | null): Promise<ThrottleVerdict> {
    const { rows } = await db.query<Row>('SELECT failures, pending, last_failure_at, pending_since, locked_until FROM login_throttle WHERE key = $1', [key]);
    const r = rows[0];
    const seconds = (until: number) => Math.max(1, Math.ceil((until - at) / 1000));
    if (r?.locked_until && r.locked_until.getTime() > at) return { ok: false, locked: true, retryAfter: seconds(r.locked_until.getTime()) };
    const failures = r && at - r.last_failure_at.getTime() < windowMs ? r.failures : 0;
    const pending = r?.pending_since && at - r.pending_since.getTime() < windowMs ? r.pending : 0;
    const tries = failures + pending;
    // attempts still in flight fill the allowance: they end in a moment
    if (!r || backoffAfter === null || tries >= lockAfter || tries < backoffAfter) return { ok: false, locked: false, retryAfter: 1 };
    const last = Math.max(r.last_failure_at.getTime(), r.pending_since?.getTime() ?? 0);
    return { ok: false, locked: false, retryAfter: seconds(last + Math.min(2 ** (tries - backoffAfter), 300) * 1000) };
  }

  return {
    /** Reserves an attempt for this account (pid, or another counter's name) from this address, before
     *  the secret is checked; refused while the address is locked or the account backs off or is locked. */
    async check(pid: string, address: string): Promise<ThrottleVerdict> {
      const at = now();
      const account = accountKey(pid);
      const addr = addressKey(address);
      // back-off is per account only: many people share one address behind a hospital's NAT. Both
      // reservations (the address's given back when the account refuses) in one call (migration 0026),
      // refused while locked, at the lock's count, or inside the back-off (2^(tries − back-off after) s, 300 at most).
      const { rows } = await db.query<{ verdict: string }>('SELECT login_throttle_reserve($1, $2, $3::timestamptz, $4::int, $5::int, $6::int, $7::int) AS verdict',
        [addr, account, new Date(at), limits.lockSeconds, limits.addressLockAfter, limits.accountLockAfter, limits.backoffAfter]);
      const verdict = rows[0]!.verdict;
      if (verdict === 'ok') return { ok: true };
      if (verdict === 'address') return refusal(addr, at, limits.addressLockAfter, null);
      return refusal(account, at, limits.accountLockAfter, limits.backoffAfter);
    },

    /** The reserved attempt failed: it counts against both, and may start the back-off or the lock. */
    async fail(pid: string, address: string): Promise<void> {
      const at = new Date(now());
      await db.query(FAILED, [addressKey(address), at, limits.lockSeconds, limits.addressLockAfter]);
      await db.query(FAILED, [accountKey(pid), at, limits.lockSeconds, limits.accountLockAfter]);
    },

    /** The reserved attempt passed: the account's counter starts again from nothing and the address gets
     *  its reservation back. Without an address (no attempt reserved), only the account's is cleared. */
    async succeed(pid: string, address?: string): Promise<void> {
      // one statement (a round trip per login saved); $2 NULL: no address reservation to give back
      await db.query(
        `WITH cleared AS (DELETE FROM login_throttle WHERE key = $1)
         UPDATE login_throttle SET pending = greatest(pending - 1, 0) WHERE key = $2`,
        [accountKey(pid), address === undefined ? null : addressKey(address)],
      );
    },

    /** The account's counter as an administrator sees it: failures in the window, and until when it is locked. */
    async accountState(pid: string): Promise<{ failures: number; lockedUntil: Date | null }> {
      const at = now();
      const { rows } = await db.query<Row>('SELECT failures, pending, last_failure_at, pending_since, locked_until FROM login_throttle WHERE key = $1', [accountKey(pid)]);
      const r = rows[0];
      return { failures: r && at - r.last_failure_at.getTime() < windowMs ? r.failures : 0, lockedUntil: r?.locked_until && r.locked_until.getTime() > at ? r.locked_until : null };
    },

    /** An administrator unlocks the account: its counter (back-off and lock) is removed; true when there was one. */
    async unlock(pid: string): Promise<boolean> {
      return (await db.query('DELETE FROM login_throttle WHERE key = $1', [accountKey(pid)])).rowCount === 1;
    },

    /** The reserved attempt was not a failure after all (e.g. the recovery details matched). */
    async release(pid: string, address: string): Promise<void> {
      await unreserve(addressKey(address));
      await unreserve(accountKey(pid));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
