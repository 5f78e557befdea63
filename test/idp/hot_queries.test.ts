// Issue 18, item 3: every statement on the token and login paths has an index. With sequential scans
// priced out (enable_seqscan off, for this transaction only), a plan that still reads a table from
// end to end has no index to use; the plans are printed with the test (bench/scale.ts prints them at
// millions of accounts, docs/benchmarks.md records them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../helpers/db.ts';
import { explain, hotQueries } from '../helpers/hot_queries.ts';
import { migrate } from '../../src/kernel/db/migrate.ts';
import type { Database } from '../../src/kernel/db/index.ts';

for (const target of dbTargets()) {
  describe(`hot queries on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;

    before(async () => {
      const made = await target.create();
      db = made.db;
      drop = made.drop;
      await migrate(db);
    });

    after(async () => {
      await drop?.();
    });

    for (const q of hotQueries()) {
      test(q.name, async () => {
        const plan = await db.tx(async (t) => {
          await t.query('SET LOCAL enable_seqscan = off');
          const e = explain(q);
          // the DELETE's plan, without running it
          return (await t.query<{ 'QUERY PLAN': string }>(e.sql, e.params)).rows.map((r) => r['QUERY PLAN']);
        });
        assert.ok(plan.length > 0);
        assert.ok(!plan.some((line) => /Seq Scan/.test(line)), `${q.name} reads a whole table:\n${plan.join('\n')}`);
        assert.ok(plan.some((line) => /Index (Only )?Scan|Bitmap Index Scan/.test(line)), `${q.name} uses an index:\n${plan.join('\n')}`);
      });
    }
  });
}
