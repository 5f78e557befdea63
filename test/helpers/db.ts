// The databases every database test runs against: embedded PGlite always, and the PostgreSQL
// server named by TEST_DATABASE_URL (test/run.ts starts a throwaway one when it is not set).
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/kernel/db/index.ts';
import { migrate } from '../../src/kernel/db/migrate.ts';

export interface DbTarget {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database; `url` is set for PostgreSQL so other processes can share it. */
  create(): Promise<{ db: Database; url?: string; drop(): Promise<void> }>;
}

export function dbTargets(): DbTarget[] {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set: run the suite with "npm test", which starts a throwaway PostgreSQL');
  return [
    {
      name: 'pglite',
      async create() {
        const db = await openPglite();
        return { db, drop: () => db.close() };
      },
    },
    {
      name: 'postgres',
      async create() {
        const name = `mpid_test_${randomBytes(6).toString('hex')}`;
        const client = new pg.Client({ connectionString: admin });
        await client.connect();
        await client.query(`CREATE DATABASE ${name}`);
        await client.end();
        const url = new URL(admin);
        url.pathname = `/${name}`;
        const db = openPostgres(url.toString());
        return {
          db,
          url: url.toString(),
          async drop() {
            await db.close();
            const c = new pg.Client({ connectionString: admin });
            await c.connect();
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await c.end();
          },
        };
      },
    },
  ];
}

/** The same database, counting the statements sent through it (`count()`): for tests of what is batched or shared. */
export function countingStatements(db: Database): { db: Database; count(): number } {
  let statements = 0;
  return {
    db: { ...db, query: ((sql: string, params?: unknown[]) => (statements++, db.query(sql, params))) as Database['query'] },
    count: () => statements,
  };
}

/** Inside a describe: a fresh database of `target`, migrated before its tests and dropped after them (`.db`). */
export function migratedDatabase(target: DbTarget): { readonly db: Database } {
  const made: { db?: Database; drop?: () => Promise<void> } = {};
  before(async () => {
    Object.assign(made, await target.create());
    await migrate(made.db!);
  });
  after(async () => {
    await made.drop?.();
  });
  return {
    get db() {
      return made.db!;
    },
  };
}
