// Counters in the database, shared by every process of a service: per key, a fixed window that opens
// at its first event. Counting and deciding are one statement (an upsert that locks the key's row), so
// parallel requests cannot all pass one check. Keys are bytes: hash personal data (an address, an ID
// number) with the service's PII index before it becomes a key or a member.
import type { Queryable } from '../db/index.ts';
import { systemClock, type Clock } from '../clock.ts';
import { readTogether } from '../db/read_together.ts';

export type { Clock } from '../clock.ts';

export interface Limit {
  /** events (or distinct members) a key may have in one window */
  max: number;
  seconds: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfter: number };

type Key = Uint8Array | string;
const bytes = (k: Key) => (typeof k === 'string' ? Buffer.from(k, 'utf8') : k);

export function createRateLimiter(db: Queryable, opts: { table?: string; now?: Clock } = {}) {
  const table = opts.table ?? 'rate_limits';
  const now = opts.now ?? systemClock;
  const waitFor = (windowStart: Date, limit: Limit, at: number): RateVerdict => ({
    ok: false,
    retryAfter: Math.max(1, Math.ceil((windowStart.getTime() + limit.seconds * 1000 - at) / 1000)),
  });
  // the window of the row being updated is over (new events start a new one)
  const expired = 'r.window_start <= $2::timestamptz - make_interval(secs => $3::int)';
  const verdictOf = (r: { hits: number; window_start: Date } | undefined, limit: Limit, at: number): RateVerdict =>
    r && r.hits >= limit.max ? waitFor(r.window_start, limit, at) : { ok: true };

  // a key's checks asked for together share one statement, read when it is sent (read_together.ts)
  const checks = readTogether<{ rows: Record<string, unknown>[]; at: number }>();
  const check = (what: string, key: Key, limit: Limit, sql: string, params: unknown[]) =>
    checks(`${what}\0${Buffer.from(bytes(key)).toString('latin1')}\0${limit.seconds}\0${JSON.stringify(params)}`, async () => {
      const at = now();
      const { rows } = await db.query<Record<string, unknown>>(sql, [bytes(key), new Date(at), limit.seconds, ...params]);
      return { rows, at };
    });

  return {
    /** Refused while the key's window already holds `max` events; reads only. */
    async blocked(key: Key, limit: Limit): Promise<RateVerdict> {
      const { rows, at } = await check('blocked', key, limit, `SELECT hits, window_start FROM ${table} r WHERE key = $1 AND NOT (${expired})`, []);
      return verdictOf(rows[0] as { hits: number; window_start: Date } | undefined, limit, at);
    },

    /** `blocked`, and in the same statement one row of `with.sql` (its own parameters from $4 on;
     *  undefined when it finds none): a read the caller needs anyway saves its own round trip. */
    async blockedWith<R extends Record<string, unknown>>(key: Key, limit: Limit, also: { sql: string; params: unknown[] }): Promise<{ verdict: RateVerdict; row: R | undefined }> {
      const { rows, at } = await check(
        also.sql,
        key,
        limit,
        `SELECT l.hits AS rl_hits, l.window_start AS rl_window_start, o.* FROM (SELECT 1 AS rl_one) one
         LEFT JOIN (SELECT hits, window_start FROM ${table} r WHERE key = $1 AND NOT (${expired})) l ON true
         LEFT JOIN LATERAL (${also.sql} LIMIT 1) o ON true`,
        also.params,
      );
      const { rl_hits, rl_window_start, rl_one: _one, ...rest } = rows[0] as R & { rl_hits: number | null; rl_window_start: Date | null; rl_one: number };
      const found = Object.values(rest).some((v) => v !== null);
      const verdict = verdictOf(rl_hits !== null && rl_window_start ? { hits: rl_hits, window_start: rl_window_start } : undefined, limit, at);
      return { verdict, row: found ? (rest as unknown as R) : undefined };
    },

    /** Counts one event (a failure); the verdict says whether the key may go on. */
    async hit(key: Key, limit: Limit): Promise<RateVerdict> {
      const at = now();
      const { rows } = await db.query<{ hits: number; window_start: Date }>(
        `INSERT INTO ${table} AS r (key, hits, window_start) VALUES ($1, 1, $2::timestamptz)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN ${expired} THEN 1 ELSE r.hits + 1 END,
           members = CASE WHEN ${expired} THEN '{}' ELSE r.members END,
           window_start = CASE WHEN ${expired} THEN $2::timestamptz ELSE r.window_start END
         RETURNING hits, window_start`,
        [bytes(key), new Date(at), limit.seconds],
      );
      const r = rows[0]!;
      return r.hits >= limit.max ? waitFor(r.window_start, limit, at) : { ok: true };
    },

    /** Admits member into the key's distinct members of the window: one seen before always passes, a
     *  new one only while fewer than `max` are there. A refused member is not recorded. */
    async admit(key: Key, member: Key, limit: Limit): Promise<RateVerdict> {
      const at = now();
      const params = [bytes(key), new Date(at), limit.seconds, bytes(member), limit.max];
      const known = '$4::bytea = ANY(r.members)';
      const { rowCount } = await db.query(
        `INSERT INTO ${table} AS r (key, hits, window_start, members) VALUES ($1, 1, $2::timestamptz, ARRAY[$4::bytea])
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN ${expired} THEN 1 WHEN ${known} THEN r.hits ELSE r.hits + 1 END,
           members = CASE WHEN ${expired} THEN ARRAY[$4::bytea] WHEN ${known} THEN r.members ELSE r.members || $4::bytea END,
           window_start = CASE WHEN ${expired} THEN $2::timestamptz ELSE r.window_start END
         WHERE ${expired} OR ${known} OR cardinality(r.members) < $5::int
         RETURNING hits`,
        params,
      );
      if (rowCount) return { ok: true };
      const { rows } = await db.query<{ window_start: Date }>(`SELECT window_start FROM ${table} WHERE key = $1`, [bytes(key)]);
      return waitFor(rows[0]?.window_start ?? new Date(at), limit, at);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
