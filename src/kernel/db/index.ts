// One small data-access interface over PostgreSQL (pg pool) and embedded PGlite: the same SQL runs on both.
import pg from 'pg';
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';


export type Row = Record<string, any>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface Database extends Queryable {
  kind: 'postgres' | 'pglite';
  /** PostgreSQL's connection pool (metrics): its counts, and a listener for each wait for a connection */
  pool?: { stats(): PoolStats; onWait(listener: (seconds: number) => void): () => void };
  /** Runs fn in one transaction on one connection; rolls back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Parse bigint/int8 counts as numbers and keep timestamps as Date on both drivers.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * The database cannot be reached (refused, reset, shut down, restarting, a pooler that has no server):
 * the request fails at once with 503 and an OIDC error object (`temporarily_unavailable`) or the
 * service's error page, never a 500 with a stack; the pool reconnects by itself on the next query.
 */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = true;
  readonly error_description = 'the service cannot reach its database; retry in a few seconds';
  constructor(cause: unknown) {
    // oidc-provider answers an exposed error with its message as the error code
    super('temporarily_unavailable', { cause });
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
// SQLSTATE: connection exceptions (08…), shutting down or starting (57P01–57P03), too many connections;
// PgBouncer's own refusals (no server, query_wait_timeout) come as 08P01
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
const LOST = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed/i;

export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || UNAVAILABLE_STATES.test(e.code))) return true;
  return typeof e.message === 'string' && LOST.test(e.message);
}

const unavailable = (err: unknown) => (err instanceof DatabaseUnavailable || !isUnavailable(err) ? err : new DatabaseUnavailable(err));

/** How long a query waits for a connection before it fails with DatabaseUnavailable (a server that
 *  does not answer, or a pool exhausted for that long). */
export const CONNECT_TIMEOUT_MS = 5000;

/** SQLSTATEs of a named statement the server does not hold (26000) or already holds (42P05): a pooler
 *  in transaction mode that does not carry them (PgBouncer before 1.21, or without max_prepared_statements). */
const NAMED_REFUSED = new Set(['26000', '42P05']);
/** 0A000 "cached plan must not change result type": a table changed under a statement prepared before. */
const PLAN_STALE = '0A000';

/** A statement's name: from its text, so that one name is one statement in every process (through a
 *  pooler, a name prepared by another process's statement can never run this one's). */
const statementNames = new Map<string, string>();
/** Beyond this many texts a statement goes unnamed: a statement built with a varying text (a list of
 *  rows of any length) must not fill every connection with prepared statements. */
const MAX_NAMED = 1000;
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (!name && statementNames.size < MAX_NAMED) statementNames.set(sql, (name = `mpid_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`));
  return name;
}

export interface PostgresOptions {
  /**
   * Single statements with parameters (outside transactions) as named prepared statements: PostgreSQL parses and plans
   * each once per connection instead of on every call. On by default; a pooler that refuses them turns
   * them off for the process at its first refusal (the statement is run again unnamed, `onNamedRefused`
   * is told why, for the log).
   */
  namedStatements?: boolean;
  onNamedRefused?: (message: string) => void;
}

export function openPostgres(url: string, max = 10, opts: PostgresOptions = {}): Database {
  // no session state is kept on a connection (no SET, LISTEN or session locks); named statements are
  // carried by PostgreSQL itself or by PgBouncer 1.21+ (max_prepared_statements), and turn themselves off
  // through a pooler that refuses them, so every statement also works through PgBouncer in transaction mode
  let named = opts.namedStatements ?? true;
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  pool.on('error', () => {
    // idle client errors (server restart) are reported on the next query; nothing to do here
  });
  const waits = new Set<(seconds: number) => void>();
  // a connection as pool.query takes one, timed: the wait is what a busy pool costs each query
  const connect = async () => {
    const started = performance.now();
    const client = await pool.connect().catch((err: unknown) => {
      throw unavailable(err);
    });
    const seconds = (performance.now() - started) / 1000;
    for (const listener of waits) listener(seconds);
    return client;
  };
  return {
    kind: 'postgres',
    pool: {
      stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
      onWait(listener) {
        waits.add(listener);
        return () => waits.delete(listener);
      },
    },
    async query(sql, params) {
      const client = await connect();
      let failed: Error | undefined;
      // a connection lost during the query is an 'error' event on the client (as pool.query listens)
      const lost = (err: Error) => {
        failed = err;
      };
      client.once('error', lost);
      let stale = false;
      try {
        let r: pg.QueryResult;
        // a statement without parameters goes by the simple protocol (PgBouncer's admin console needs it)
        const name = named && params?.length ? statementName(sql) : undefined;
        if (!name) r = await client.query(sql, params as unknown[]);
        else {
          try {
            r = await client.query({ name, text: sql, values: params as unknown[] });
          } catch (err) {
            const code = (err as { code?: string }).code;
            if (!code || !(NAMED_REFUSED.has(code) || code === PLAN_STALE)) throw err;
            if (code === PLAN_STALE) stale = true; // this connection's statements were prepared before a migration: a new one
            else if (named) {
              named = false;
              opts.onNamedRefused?.('the database pooler refuses named statements: they are off for this process (set DATABASE_NAMED_STATEMENTS=false)');
            }
            r = await client.query(sql, params as unknown[]);
          }
        }
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      } catch (err) {
        failed = err as Error;
        throw unavailable(err);
      } finally {
        // as pool.query does: a client whose query failed is not given back to the pool
        client.removeListener('error', lost);
        client.release(failed ?? stale);
      }
    },
    async exec(sql) {
      await pool.query(sql).catch((err: unknown) => {
        throw unavailable(err);
      });
    },
    async tx(fn) {
      const client = await connect();
      let failed: Error | undefined;
      const lost = (err: Error) => {
        failed = err;
      };
      client.once('error', lost);
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query(sql, params) {
            const r = await client.query(sql, params as unknown[]);
            return { rows: r.rows, rowCount: r.rowCount ?? 0 };
          },
          async exec(sql) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (isUnavailable(err)) failed ??= err as Error;
        // a connection that is gone is not rolled back (nothing to roll back) nor given back to the pool
        if (!failed) await client.query('ROLLBACK').catch(() => undefined);
        throw unavailable(err);
      } finally {
        client.removeListener('error', lost);
        client.release(failed);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** An embedded database is one process's: a second opener (the CLI next to a running server) would
 *  lose writes. Taken with the process id next to the data folder; a lock of a process that is gone
 *  is taken over. */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

function lockEmbedded(dir: string): () => void {
  const file = `${dir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(file, 'utf8'));
      if (holder && holder !== process.pid && alive(holder)) {
        throw new DatabaseInUseError(`the embedded database in ${dir} is in use by process ${holder} (a running server?): stop it first, or use DATABASE_URL`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new DatabaseInUseError(`could not lock the embedded database in ${dir}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** dir undefined → in-memory (tests). */
export async function openPglite(dir?: string): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const unlock = dir ? lockEmbedded(dir) : () => undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(dir);
  } catch (err) {
    unlock();
    throw err;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query(sql, params) {
      const r = await q.query(sql, params as unknown[]);
      // PGlite counts only changed rows (0 for a SELECT); pg counts the rows returned too — as pg does
      return { rows: r.rows as never[], rowCount: r.affectedRows || r.rows.length };
    },
    async exec(sql) {
      await q.exec(sql);
    },
  });
  const top = wrap(db);
  return {
    kind: 'pglite',
    query: top.query,
    exec: top.exec,
    tx: (fn) => db.transaction((t) => fn(wrap(t))),
    async close() {
      await db.close();
      unlock();
    },
  };
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; databasePoolMax?: number } & PostgresOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.databasePoolMax, opts);
  return openPglite(`${opts.dataDir}/pg`);
}
