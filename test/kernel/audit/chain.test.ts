// The audit log's hash chain on both databases: events written together (even concurrently) verify;
// a changed, removed or reordered event is found at its place; and `mpid audit verify` says so.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { testDirs } from '../../helpers/server.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import { audit, verifyAuditChain } from '../../../src/kernel/audit/index.ts';

for (const target of dbTargets()) {
  describe(`audit hash chain on ${target.name}`, () => {
    // each test its own database, with the same chain written in it
    const drops: Array<() => Promise<void>> = [];
    after(() => Promise.all(drops.map((drop) => drop())));
    async function fresh(): Promise<{ db: Database; url?: string }> {
      const made = await target.create();
      drops.push(made.drop);
      await migrate(made.db);
      return made;
    }

    /** 27 events: one by one, concurrently, in a transaction (and one rolled back, not counted). */
    async function writeEvents(db: Database) {
      for (let i = 0; i < 5; i++) await audit(db, { actor: 'a', action: 'test.one', subject: `s${i}`, detail: { i } });
      await Promise.all(Array.from({ length: 20 }, (_, i) => audit(db, { actor: 'b', action: 'test.many', subject: `m${i}`, detail: { i, nested: { th: 'ทดสอบ' } } })));
      await db.tx(async (q) => {
        await audit(q, { actor: 'c', action: 'test.tx', subject: 'x' });
        await audit(q, { actor: 'c', action: 'test.tx', subject: 'y' });
      });
      await db.tx(async (q) => {
        await audit(q, { actor: 'c', action: 'test.rolled_back' });
        throw new Error('rolled back');
      }).catch(() => undefined);
    }

    /** As an attacker with database access would: around the append-only trigger. */
    async function tamper(db: Database, sql: string, params: unknown[] = []) {
      await db.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
      await db.query(sql, params);
      await db.exec('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change');
    }

    test('events written one by one and concurrently form one verifiable chain', async () => {
      const { db } = await fresh();
      await writeEvents(db);
      assert.deepEqual(await verifyAuditChain(db), { ok: true, events: 27 });
    });

    test('a changed event breaks the chain there', async () => {
      const { db } = await fresh();
      await writeEvents(db);
      const { rows } = await db.query<{ seq: string }>(`SELECT seq FROM audit_events WHERE subject = 's2'`);
      const seq = Number(rows[0]!.seq);
      await tamper(db, `UPDATE audit_events SET detail = '{"i": 99}' WHERE seq = $1`, [seq]);
      assert.deepEqual(await verifyAuditChain(db), { ok: false, events: seq - 1, brokenAt: seq, reason: 'hash' });
      await tamper(db, `UPDATE audit_events SET detail = '{"i": 2}' WHERE seq = $1`, [seq]);
      assert.equal((await verifyAuditChain(db)).ok, true, 'restored, it verifies again');
    });

    test('a removed event is a gap; the next writer does not hide it', async () => {
      const { db, url } = await fresh();
      await writeEvents(db);
      await tamper(db, `DELETE FROM audit_events WHERE seq = 10`);
      const verdict = await verifyAuditChain(db);
      assert.deepEqual(verdict, { ok: false, events: 9, brokenAt: 10, reason: 'gap' });
      if (url) {
        const env = { ...process.env, ...testDirs(), DATABASE_URL: url };
        const cli = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../../src/idp/cli/main.ts'), 'audit', 'verify'], { env, encoding: 'utf8' });
        assert.equal(cli.status, 1, cli.stderr);
        assert.equal(JSON.parse(cli.stdout).brokenAt, 10);
      }
    });
  });
}
