// The embedded database is one process's: a second process (the CLI next to a running server) is
// refused with a clear message instead of silently losing writes; a lock left by a dead process is taken over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseInUseError, openPglite } from '../../../src/kernel/db/index.ts';

describe('embedded database lock', () => {
  it('refuses a database held by a live process; takes over from a dead one; releases on close', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mpid-lock-')), 'pg');
    writeFileSync(`${dir}.lock`, String(process.ppid));
    await assert.rejects(openPglite(dir), (e: Error) => e instanceof DatabaseInUseError && e.message.includes(`process ${process.ppid}`) && /stop it first/.test(e.message));

    writeFileSync(`${dir}.lock`, '4194303'); // above Linux's pid_max: no such process
    const db = await openPglite(dir);
    assert.equal((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1);
    assert.ok(existsSync(`${dir}.lock`));
    await db.close();
    assert.ok(!existsSync(`${dir}.lock`), 'released on close');
  });
});
