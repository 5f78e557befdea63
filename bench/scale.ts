// npm run bench:scale: login and token latency at growing numbers of accounts on PostgreSQL. Fills a
// throwaway cluster (or BENCH_DATABASE_URL) with bench/populate.ts to each size in BENCH_SCALE_SIZES
// (default 10000,1000000), then at each size: the size on disk, a full password login and client
// credentials and refresh tokens against the IdP in its own process (p50/p99), the sweeper's cost,
// and the plans of the hot queries (test/helpers/hot_queries.ts). Figures, never assertions.
// BENCH_PROCESSES=2: at each size the same flows again against two IdP processes on the same
// database (same ISSUER, keys and secrets), every HTTP request sent to the other one in turn (a
// load balancer without sticky sessions: a login's five requests alternate), each process's CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPostgres, type Database } from '../src/kernel/db/index.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import { migrateAuthencode } from '../src/authencode/db.ts';
import { sweep } from '../src/idp/sweep.ts';
import { accountCount, populate } from './populate.ts';
import { cpuSeconds, mpid, withBenchPostgres } from './support.ts';
import { freePort, pidWithCheckDigit } from '../test/helpers/server.ts';
import { Person } from '../test/helpers/person.ts';
import { explain, hotQueries, type HotQuery } from '../test/helpers/hot_queries.ts';

const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const sizes = (process.env.BENCH_SCALE_SIZES ?? '10000,1000000').split(',').map(Number);
const REDIRECT = 'https://bench.example/cb';
const PASSWORD = 'long enough passphrase';
const WORKERS = os.cpus().length * 2;
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);

// the load balancer: a request to the issuer goes to the next backend's port (one backend: as asked)
const directFetch = globalThis.fetch;
let backends: number[] = [];
let turn = 0;
globalThis.fetch = ((input: string | URL, init?: RequestInit) => {
  if (backends.length < 2) return directFetch(input, init);
  const u = new URL(input);
  if (u.hostname === '127.0.0.1' && backends.includes(Number(u.port))) u.port = String(backends[turn++ % backends.length]);
  return directFetch(u, init);
}) as typeof fetch;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** op on `workers` loops for ms milliseconds: each success's latency, and the failures. */
async function load(workers: number, op: (w: number) => Promise<unknown>, ms: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + ms;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await op(w);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), errors };
}

/** The rate, p50/p99 and the CPU the servers spent per request, after warmUpMs of the same load unmeasured. */
async function timed(workers: number, op: (w: number) => Promise<unknown>, servers: ChildProcess[], warmUpMs = 0) {
  if (warmUpMs) await load(workers, op, warmUpMs);
  const cpu0 = servers.map((s) => cpuSeconds(s.pid!));
  const { latencies, errors } = await load(workers, op, seconds * 1000);
  const cpu = servers.map((s, i) => cpuSeconds(s.pid!) - cpu0[i]!);
  const total = cpu.reduce((a, b) => a + b, 0);
  const each = servers.length > 1 ? ` (${cpu.map((c, i) => `process ${i + 1}: ${c.toFixed(2)} s`).join(', ')})` : '';
  return `${(latencies.length / seconds).toFixed(1)}/s, p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms${errors ? `, **${errors} errors**` : ''}; IdP CPU ${((total / latencies.length) * 1000).toFixed(2)} ms a request${each}, ${(latencies.length / total).toFixed(0)} requests per CPU-second`;
}

async function startIdp(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['src/idp/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await directFetch(`http://127.0.0.1:${env.PORT}/readyz`)).ok) return child;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the IdP did not start');
}

async function size(db: Database) {
  const { rows } = await db.query<{ db: number; accounts: number; oidc: number; audit: number }>(
    `SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('accounts') AS accounts,
            pg_total_relation_size('oidc_models') AS oidc, pg_total_relation_size('audit_events') AS audit`,
  );
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const r = rows[0]!;
  return { total: r.db, text: `database ${mib(r.db)} (accounts ${mib(r.accounts)}, oidc_models ${mib(r.oidc)}, audit_events ${mib(r.audit)})` };
}

async function atSize(url: string, db: Database, n: number, clients: { web: Record<string, string>; machine: Record<string, string> }, env: NodeJS.ProcessEnv, pids: string[]) {
  const have = await accountCount(db);
  const t0 = performance.now();
  if (have < n) await populate(db, have, n, (done) => process.stderr.write(`\r  populating: ${done} accounts, ${((performance.now() - t0) / 1000).toFixed(0)} s`));
  process.stderr.write('\n');
  const filled = (performance.now() - t0) / 1000;
  await db.query('VACUUM ANALYZE');
  const s = await size(db);
  console.log(`\n### ${n.toLocaleString('en')} accounts\n`);
  console.log(`- filled in ${filled.toFixed(0)} s (${have ? 'from ' + have.toLocaleString('en') : 'from empty'}); ${s.text}; ${((s.total / n) * 1e6 / 2 ** 30).toFixed(2)} GiB per million accounts`);

  const servers = [await startIdp({ ...env, DATABASE_URL: url })];
  try {
    const issuer = env.ISSUER!;
    const basic = (c: Record<string, string>) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;
    const token = async (c: Record<string, string>, body: Record<string, string>) => {
      const res = await fetch(`${issuer}/token`, { method: 'POST', headers: { authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
      const json = (await res.json()) as Record<string, string>;
      if (res.status !== 200) throw new Error(`token ${res.status}`);
      return json;
    };
    const login = async (pid: string, extra: Record<string, string> = {}) => {
      const person = new Person(issuer);
      const u = new URL('/auth', issuer);
      u.search = new URLSearchParams({ client_id: clients.web.client_id!, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', nonce: 'n', ...extra }).toString();
      const code = new URL(await person.logInAndConsent(u, pid, PASSWORD)).searchParams.get('code')!;
      return token(clients.web, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    };
    const refresh = await Promise.all(pids.map(async (pid) => (await login(pid, { scope: 'openid offline_access', prompt: 'consent' })).refresh_token!));
    const flows = async (label: string, warmUpMs = 0) => {
      console.log(`- ${label}full password login (${WORKERS} concurrent): ${await timed(WORKERS, (w) => login(pids[w]!), servers, warmUpMs)}`);
      console.log(`- ${label}client_credentials (8 concurrent): ${await timed(8, () => token(clients.machine, { grant_type: 'client_credentials' }), servers, warmUpMs)}`);
      console.log(`- ${label}refresh_token (${WORKERS} concurrent): ${await timed(WORKERS, async (w) => (refresh[w] = (await token(clients.web, { grant_type: 'refresh_token', refresh_token: refresh[w]! })).refresh_token!), servers, warmUpMs)}`);
    };
    await flows('');
    if (PROCESSES > 1) {
      const ports = [Number(env.PORT)];
      while (ports.length < PROCESSES) {
        const port = await freePort();
        servers.push(await startIdp({ ...env, DATABASE_URL: url, PORT: String(port) }));
        ports.push(port);
      }
      backends = ports;
      try {
        // the new processes warm up first (the first has run the flows above)
        await flows(`${PROCESSES} processes, requests in turn: `, 2000);
      } finally {
        backends = [];
      }
    }
  } finally {
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(servers.map((server) => (server.exitCode !== null ? null : new Promise((r) => server.once('exit', r)))));
  }

  // the sweeper on this table: 3 % of the sessions expired a minute ago (bench/populate.ts)
  const { rows: due } = await db.query<{ n: number }>(`SELECT count(*) AS n FROM oidc_models WHERE expires_at < now()`);
  const s0 = performance.now();
  let removed = 0;
  let passes = 0;
  for (let r = await sweep(db); r > 0; r = await sweep(db)) {
    removed += r;
    passes++;
  }
  const sweptMs = performance.now() - s0;
  console.log(`- sweeper: ${removed.toLocaleString('en')} expired rows of ${due[0]!.n.toLocaleString('en')} due removed in ${passes} passes of ≤ 5,000 per table, ${sweptMs.toFixed(0)} ms (${passes ? (sweptMs / (passes + 1)).toFixed(0) : '—'} ms a pass; one pass a minute per process); an idle pass ${(await (async () => {
    const t = performance.now();
    await sweep(db);
    return performance.now() - t;
  })()).toFixed(0)} ms`);
  // expired sessions again for the next size
  console.log('\nhot query plans (EXPLAIN ANALYZE):\n');
  for (const q of hotQueries('gen-' + Math.floor(n / 2), 'gen-client-1')) {
    const lines = await analyzedPlan(db, q);
    const scan = lines.find((l) => /Scan/.test(l))?.trim().replace(/\s+\(actual.*$/, '');
    const time = lines.find((l) => /Execution Time/.test(l))?.trim();
    console.log(`- ${q.name}: ${scan} — ${time}`);
  }
}

/** EXPLAIN ANALYZE runs the statement: a DELETE's or UPDATE's rows come back when its transaction is rolled back. */
async function analyzedPlan(db: Database, q: HotQuery): Promise<string[]> {
  const undo = new Error('rolled back after EXPLAIN ANALYZE');
  let lines: string[] = [];
  const e = explain(q, true);
  await db.tx(async (t) => {
    lines = (await t.query<{ 'QUERY PLAN': string }>(e.sql, e.params)).rows.map((r) => r['QUERY PLAN']);
    throw undo;
  }).catch((err: unknown) => {
    if (err !== undo) throw err;
  });
  return lines;
}

const [l1, l5, l15] = os.loadavg();
console.log(`node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, ${seconds} s per measurement, load average ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}, ${new Date().toISOString()}`);
await withBenchPostgres('scale benchmark', async (url) => {
  const db = openPostgres(url, 2);
  await migrate(db);
  // the hot queries include Authen Code's, which shares the database in production
  await migrateAuthencode(db);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-scale-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'certs'), LOG_LEVEL: 'info', DATABASE_URL: url };
  const pids = Array.from({ length: WORKERS }, (_, i) => pidWithCheckDigit(`123457${String(i).padStart(6, '0')}`));
  for (const pid of pids) mpid(env, ['account', 'add'], { pid, given_name: 'สมหญิง', family_name: 'รักษ์สุขภาพ', birthdate: '1985-03-14', phone_number: '0812345678', password: PASSWORD });
  const web = mpid(env, ['client', 'add'], { redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline_access' });
  const machine = mpid(env, ['client', 'add'], { redirect_uris: [REDIRECT], grant_types: ['client_credentials'], scope: 'openid' });
  try {
    for (const n of sizes) await atSize(url, db, n, { web, machine }, env, pids);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
const [e1, e5, e15] = os.loadavg();
console.log(`\nload average at the end ${e1.toFixed(2)} ${e5.toFixed(2)} ${e15.toFixed(2)}`);
