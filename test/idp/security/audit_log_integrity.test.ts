// The audit log cannot be changed through the database connection the services use (UPDATE, DELETE
// and TRUNCATE of audit_events are refused), and an event slipped in by someone who can get around
// that (the table's owner, triggers off) is named by `mpid audit verify`, which exits 1: an event
// inserted into the chain, or one added outside it. PGlite is one process's at a time: there the CLI
// runs after the test closed its connection.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { dbTargets } from '../../helpers/db.ts';
import { testDirs } from '../../helpers/server.ts';
import { openPglite, type Database } from '../../../src/kernel/db/index.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import { audit, verifyAuditChain } from '../../../src/kernel/audit/index.ts';

const CLI = path.resolve(import.meta.dirname, '../../../src/idp/cli/main.ts');

for (const target of dbTargets()) {
  describe(`audit log integrity on ${target.name}`, () => {
    const dirs = testDirs();
    let db: Database;
    let url: string | undefined;
    let drop: () => Promise<void>;

    const open = async () => {
      if (target.name === 'pglite') db = await openPglite(path.join(dirs.DATA_DIR, 'pg'));
    };
    before(async () => {
      if (target.name === 'pglite') {
        await open();
        drop = () => db.close();
      } else {
        ({ db, url, drop } = await target.create());
      }
      await migrate(db);
      for (let i = 1; i <= 6; i++) await audit(db, { actor: 'sub:someone', action: 'test.event', subject: `s${i}`, detail: { i } });
    });
    after(() => drop());

    /** `mpid audit verify` on this database (PGlite: with the test's connection closed meanwhile). */
    async function verify(): Promise<{ status: number | null; verdict: { ok: boolean; brokenAt?: number; reason?: string } }> {
      if (target.name === 'pglite') await db.close();
      const env = { ...process.env, ...dirs, ...(url ? { DATABASE_URL: url } : {}), LOG_LEVEL: 'silent' };
      const r = spawnSync(process.execPath, [CLI, 'audit', 'verify'], { env, encoding: 'utf8' });
      await open();
      assert.ok(r.stdout, r.stderr);
      return { status: r.status, verdict: JSON.parse(r.stdout) };
    }
    const rows = async () => (await db.query<{ seq: string; action: string; detail: unknown }>('SELECT seq, action, detail FROM audit_events ORDER BY seq')).rows;

    /** As the table's owner could: with the triggers off. */
    async function asOwner(statements: string[]) {
      await db.exec('ALTER TABLE audit_events DISABLE TRIGGER USER');
      for (const sql of statements) await db.exec(sql);
      await db.exec('ALTER TABLE audit_events ENABLE TRIGGER USER');
    }

    test('UPDATE, DELETE and TRUNCATE are refused and change nothing', async () => {
      const before = await rows();
      await assert.rejects(db.query(`UPDATE audit_events SET action = 'test.rewritten' WHERE subject = 's2'`), /append-only/);
      await assert.rejects(db.query(`DELETE FROM audit_events WHERE subject = 's3'`), /append-only/);
      await assert.rejects(db.exec('TRUNCATE audit_events'), /append-only/);
      assert.deepEqual(await rows(), before);
      assert.equal((await verifyAuditChain(db)).ok, true);
    });

    test('an event inserted into the chain, linked to the one before it, is named', async () => {
      // the events from seq 4 on move up one; the forged event takes seq 4 and hashes correctly after 3
      await asOwner([
        'UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= 4',
        'UPDATE audit_events SET seq = seq - 1000000 + 1 WHERE seq >= 1000000',
        `INSERT INTO audit_events (actor, action, subject, detail, seq, prev_hash, hash)
           SELECT 'admin:mallory', 'role.granted', 'sub:mallory', '{}', 4, hash, ''::bytea FROM audit_events WHERE seq = 3`,
        `UPDATE audit_events SET hash = audit_event_hash(prev_hash, id, at, actor, action, subject, client_address, detail) WHERE seq = 4`,
      ]);
      const { status, verdict } = await verify();
      assert.equal(status, 1);
      assert.equal(verdict.ok, false);
      assert.equal(verdict.brokenAt, 4, `the inserted event is named: ${JSON.stringify(verdict)}`);
      // put back as it was, for the next test
      await asOwner(['DELETE FROM audit_events WHERE seq = 4', 'UPDATE audit_events SET seq = seq + 1000000 WHERE seq >= 5', 'UPDATE audit_events SET seq = seq - 1000000 - 1 WHERE seq >= 1000000']);
      assert.equal((await verifyAuditChain(db)).ok, true, 'restored, the chain verifies again');
    });

    test('an event added outside the chain is named', async () => {
      await asOwner([`INSERT INTO audit_events (actor, action, subject, detail) VALUES ('admin:mallory', 'role.granted', 'sub:mallory', '{}')`]);
      const { status, verdict } = await verify();
      assert.equal(status, 1, `found: ${JSON.stringify(verdict)}`);
      assert.equal(verdict.ok, false);
      assert.equal(verdict.brokenAt, 7, 'named by the place it would take in the chain');
    });
  });
}
