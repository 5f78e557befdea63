// Group commit: writes asked for while a batch of them is in flight are sent together as the next
// batch, one statement and one round trip for all of them. Nothing waits for company: a write asked for
// when none is in flight is sent at once, so a quiet server answers as fast as before and a busy one
// makes fewer, larger statements. Each write's promise settles with its own batch, after the database
// has it (durability and visibility are those of a write of its own).
import { DatabaseUnavailable } from './index.ts';

export interface GroupCommit<T> {
  write(row: T): Promise<void>;
}

interface Batch<T> {
  rows: T[];
  keys: Set<string>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * `send` writes rows in one statement. Rows with the same `keyOf` never share a batch (a multi-row
 * upsert may not touch one row twice): a repeat goes to the batch after, so the later write lands last.
 */
export function groupCommit<T>(send: (rows: T[]) => Promise<void>, keyOf: (row: T) => string, maxRows = 200): GroupCommit<T> {
  const queue: Batch<T>[] = [];
  // Sent in the order of their keys, so that two processes' batches take the locks of the rows they
  // share in the same order: in the order they were asked for, one could hold x and wait for y while
  // the other holds y and waits for x, until PostgreSQL's deadlock check fails one of them.
  const inKeyOrder = (rows: T[]) => {
    if (rows.length < 2) return rows;
    const keyed = rows.map((row) => ({ row, key: keyOf(row) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map((k) => k.row);
  };
  let inFlight = false;

  const settle = async (batch: Batch<T>) => {
    try {
      await send(inKeyOrder(batch.rows));
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      // one bad row must not fail the requests it happened to travel with: each is tried alone
      if (batch.rows.length === 1 || err instanceof DatabaseUnavailable) for (const w of batch.waiters) w.reject(err);
      else await Promise.all(batch.rows.map((row, i) => send([row]).then(batch.waiters[i]!.resolve, batch.waiters[i]!.reject)));
    }
  };

  const drain = async () => {
    inFlight = true;
    for (let batch = queue.shift(); batch; batch = queue.shift()) await settle(batch);
    inFlight = false;
  };

  return {
    write(row) {
      const key = keyOf(row);
      let batch = queue.at(-1);
      if (!batch || batch.keys.has(key) || batch.rows.length >= maxRows) queue.push((batch = { rows: [], keys: new Set(), waiters: [] }));
      batch.rows.push(row);
      batch.keys.add(key);
      const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
      if (!inFlight) void drain();
      return done;
    },
  };
}
