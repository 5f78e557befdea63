// Issue 18, item 3: every statement on the token and login paths has an index. With sequential scans
// priced out (enable_seqscan off, for this transaction only), a plan that still reads a table from
// end to end has no index to use; the plans are printed with the test (bench/scale.ts prints them at
// millions of accounts, docs/benchmarks.md records them).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets, migratedDatabase } from '../helpers/db.ts';
import { explain, hotQueries } from '../helpers/hot_queries.ts';
import { migrateAuthencode } from '../../src/authencode/db.ts';

for (const target of dbTargets()) {
  describe(`hot queries on ${target.name}`, () => {
    const t = migratedDatabase(target);
    before(() => migrateAuthencode(t.db));

    for (const q of hotQueries()) {
      test(q.name, async () => {
        const plan = await t.db.tx(async (tx) => {
          await tx.query('SET LOCAL enable_seqscan = off');
          const e = explain(q);
          // the DELETE's plan, without running it
          return (await tx.query<{ 'QUERY PLAN': string }>(e.sql, e.params)).rows.map((r) => r['QUERY PLAN']);
        });
        assert.ok(plan.length > 0);
        assert.ok(!plan.some((line) => /Seq Scan/.test(line)), `${q.name} reads a whole table:\n${plan.join('\n')}`);
        assert.ok(plan.some((line) => /Index (Only )?Scan|Bitmap Index Scan/.test(line)), `${q.name} uses an index:\n${plan.join('\n')}`);
        if (q.index) assert.ok(plan.some((line) => line.includes(` ${q.index} `) || line.endsWith(` ${q.index}`)), `${q.name} uses ${q.index}:\n${plan.join('\n')}`);
      });
    }
  });
}
