// Migrations: migrations/NNNN_name.sql applied in order, each in its own transaction, recorded with a
// checksum, under an advisory lock so several server processes can start at once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openPostgres, type Database } from './index.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../migrations/idp');

/** Where a set of migrations is recorded: the IdP's in the public schema, a relying service's in its own schema. */
export interface Ledger {
  /** schema that holds the ledger table; created when missing */
  schema?: string;
  /** advisory lock id, constant per set (arbitrary) */
  lockId: number;
}
const IDP_LEDGER: Ledger = { lockId: 7_312_001 };
const ledgerTable = (l: Ledger) => (l.schema ? `${l.schema}.schema_migrations` : 'schema_migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

const createLedger = (l: Ledger) => `${l.schema ? `CREATE SCHEMA IF NOT EXISTS ${l.schema};\n` : ''}CREATE TABLE IF NOT EXISTS ${ledgerTable(l)} (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Applies pending migrations, each in its own transaction; returns the names applied. */
export async function migrate(db: Database, migrations = readMigrations(), ledger = IDP_LEDGER): Promise<string[]> {
  const done: string[] = [];
  // the common start-up case — everything applied — costs one query and no lock
  if (await migrationsApplied(db, migrations, ledger).catch(() => false)) {
    const { rows } = await db.query<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${ledgerTable(ledger)}`);
    const changed = rows.find((r) => migrations.find((m) => m.version === r.version)?.checksum !== r.checksum);
    if (!changed) return done;
  }
  for (const m of migrations) {
    const applied = await db.tx(async (q) => {
      // transaction-scoped lock: released at commit, so a crashed process cannot leave it held
      await q.query('SELECT pg_advisory_xact_lock($1)', [ledger.lockId]);
      await q.exec(createLedger(ledger));
      const { rows } = await q.query<{ version: number; name: string; checksum: string }>(
        `SELECT version, name, checksum FROM ${ledgerTable(ledger)} ORDER BY version`,
      );
      for (const row of rows) {
        const file = migrations.find((x) => x.version === row.version);
        if (!file) throw new MigrationError(`migration ${row.version}_${row.name} is applied but its file is missing`);
        if (file.checksum !== row.checksum) {
          throw new MigrationError(`migration ${row.version}_${row.name} was changed after it was applied (checksum mismatch); add a new migration instead`);
        }
      }
      if (rows.some((r) => r.version === m.version)) return false;
      try {
        await q.exec(m.sql);
      } catch (err) {
        throw new MigrationError(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
      }
      await q.query(`INSERT INTO ${ledgerTable(ledger)} (version, name, checksum) VALUES ($1, $2, $3)`, [m.version, m.name, m.checksum]);
      return true;
    });
    if (applied) done.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
  }
  return done;
}

/** True when every migration file has been applied (readiness). */
export async function migrationsApplied(db: Database, migrations = readMigrations(), ledger = IDP_LEDGER): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${ledgerTable(ledger)} WHERE version = ANY($1::int[])`,
    [migrations.map((m) => m.version)],
  );
  return rows[0]?.n === migrations.length;
}

/** Migrates on a connection of its own when `url` names one (MIGRATION_DATABASE_URL: direct, past a
 *  transaction pooler), else on `db`'s pool. */
export async function migrateVia(db: Database, url: string | undefined, migrations = readMigrations(), ledger = IDP_LEDGER): Promise<string[]> {
  if (!url || db.kind !== 'postgres') return migrate(db, migrations, ledger);
  const direct = openPostgres(url, 1);
  try {
    return await migrate(direct, migrations, ledger);
  } finally {
    await direct.close();
  }
}
