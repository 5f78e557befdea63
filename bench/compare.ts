// npm run bench (part 1): Mor Prom ID side by side with bare oidc-provider (bench/bare_op.ts: in-memory
// adapter, no application logic), same Node, same machine, runs alternating, on embedded PGlite and on
// PostgreSQL. Each server runs in its own process; its CPU time is read from /proc, so requests per
// second per core do not depend on the load generator sharing the cores. Figures, never assertions.
//   BENCH_SECONDS (default 5) per run, BENCH_ROUNDS (default 2) alternations; BENCH_QUICK=1 → 1 s, 1 round
//   BENCH_ID_TOKEN_ALG=ES256 (default RS256, the OpenID Connect default) for the web client's ID tokens
//   BENCH_DATABASES=pglite,postgres (default both); BENCH_FLOWS=client,refresh,full (default all; client: with and without an API; a trailing $ names one flow exactly: client_credentials$); BENCH_CPU_PROF=dir → the IdP runs with --cpu-prof there (the bare engine in dir/bare)
//   BENCH_PIN=0 → each server on CPU 0 alone (run the benchmark itself with `taskset -c 1`): its profile then
//   shows its own work, not the time it waited for the load generator or PostgreSQL on the same core.
//   The PostgreSQL the benchmark starts inherits its `taskset`; one named by BENCH_DATABASE_URL does not,
//   and its backends on the server's core make every statement cost the server about twice as much
//   (docs/benchmarks.md, 2026-12-07 (night)): start it under the same `taskset` too
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPasswordHasher } from '../src/idp/authenticators/password/hash.ts';
import { cpuSeconds, mpid, withBenchPostgres } from './support.ts';
import { freePort, pidWithCheckDigit } from '../test/helpers/server.ts';
import { Person } from '../test/helpers/person.ts';

const root = path.resolve(import.meta.dirname, '..');
const quick = process.env.BENCH_QUICK === '1';
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 1 : 5));
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 2));
const databases = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
const ARGON2 = { memoryKiB: Number(process.env.ARGON2_MEMORY_KIB ?? 19456), timeCost: Number(process.env.ARGON2_TIME_COST ?? 2), parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1) };
const REDIRECT = 'https://bench.example/cb';
const API = 'https://api.bench.example';
const PASSWORD = 'long enough passphrase';
const PERSON = { given_name: 'สมหญิง', family_name: 'รักษ์สุขภาพ', birthdate: '1985-03-14', phone_number: '0812345678', password: PASSWORD };
const cpus = os.cpus().length;
const LOGIN_WORKERS = cpus * 2;
const TOKEN_WORKERS = 8;
const ID_TOKEN_ALG = process.env.BENCH_ID_TOKEN_ALG ?? 'RS256';

interface Server {
  name: 'mpid' | 'bare';
  url: string;
  child: ChildProcess;
  /** the processes whose CPU counts: the server, and PostgreSQL's when it serves it */
  dbPids: () => number[];
}

interface Client {
  client_id: string;
  client_secret: string;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`${url}: the server did not start`);
}

const rssKiB = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);

/** The backends of a throwaway cluster: every child of its postmaster. */
function postgresPids(clusterDir: string | undefined): number[] {
  if (!clusterDir) return [];
  const master = Number(readFileSync(path.join(clusterDir, 'data/postmaster.pid'), 'utf8').split('\n')[0]);
  const pids = [master];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === master) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

const totalCpu = (pids: number[]) => pids.reduce((sum, pid) => {
  try {
    return sum + cpuSeconds(pid);
  } catch {
    return sum;
  }
}, 0);

async function authorize(server: Server, client: Client, pid: string, extra: Record<string, string> = {}): Promise<string> {
  const person = new Person(server.url);
  const url = new URL('/auth', server.url);
  url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', nonce: 'n', ...extra }).toString();
  const callback = new URL(await person.logInAndConsent(url, pid, PASSWORD));
  return callback.searchParams.get('code')!;
}

async function token(server: Server, client: Client, body: Record<string, string>): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  const json = (await res.json()) as Record<string, string>;
  if (res.status !== 200) throw new Error(`${server.name} /token answered ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface Figures {
  rps: number;
  perCore: number;
  perCoreWithDb?: number;
  cpuMs: number;
  p50: number;
  p99: number;
  rssMiB: number;
  errors: number;
}

async function run(server: Server, workers: number, op: (worker: number) => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const pids = server.dbPids();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(server.child.pid!, 'VmRSS'))), 100);
  const cpu0 = cpuSeconds(server.child.pid!);
  const db0 = totalCpu(pids);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await op(w);
        latencies.push(performance.now() - t);
      } catch (err) {
        if (++errors === 1) console.log(`  (first error on ${server.name}: ${(err as Error).message})`);
      }
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssKiB(server.child.pid!, 'VmRSS'));
  const cpu = cpuSeconds(server.child.pid!) - cpu0;
  const dbCpu = totalCpu(pids) - db0;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const n = latencies.length;
  return {
    rps: n / elapsed,
    perCore: cpu > 0 ? n / cpu : NaN,
    perCoreWithDb: pids.length ? n / (cpu + dbCpu) : undefined,
    cpuMs: (cpu * 1000) / n,
    p50: pct(50),
    p99: pct(99),
    rssMiB: peak / 1024,
    errors,
  };
}

/** The better of the rounds for each server (the machine is shared: the best run is the least disturbed). */
function best(list: Figures[]): Figures {
  return list.reduce((a, b) => (b.perCore > a.perCore ? b : a));
}

const f0 = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** BENCH_PIN=cpus: the server's threads on those CPUs only (taskset), away from the load generator. */
function pin(child: ChildProcess) {
  if (process.env.BENCH_PIN) spawnSync('taskset', ['-a', '-p', '-c', process.env.BENCH_PIN, String(child.pid)], { stdio: 'ignore' });
}

async function startMpid(env: NodeJS.ProcessEnv, dbPids: () => number[]): Promise<Server> {
  const prof = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, 'src/idp/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitReady(`${env.ISSUER}/readyz`, child);
  pin(child);
  return { name: 'mpid', url: env.ISSUER!, child, dbPids };
}

async function startBare(client: Client, pids: string[]): Promise<Server> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), BENCH_CLIENT_ID: client.client_id, BENCH_CLIENT_SECRET: client.client_secret, BENCH_REDIRECT: REDIRECT, BENCH_PIDS: pids.join(','), BENCH_PASSWORD: PASSWORD, BENCH_ID_TOKEN_ALG: ID_TOKEN_ALG };
  const prof = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${path.join(process.env.BENCH_CPU_PROF, 'bare')}`] : [];
  const child = spawn(process.execPath, [...prof, 'bench/bare_op.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/.well-known/openid-configuration`, child);
  pin(child);
  return { name: 'bare', url, child, dbPids: () => [] };
}

async function stop(server: Server) {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
}

async function compare(label: string, databaseUrl: string | undefined, clusterDir: string | undefined, hashCpuMs: number) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    ISSUER: `http://127.0.0.1:${port}`,
    DATA_DIR: path.join(dir, 'data'),
    KEYS_DIR: path.join(dir, 'certs'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_TIME_COST: String(ARGON2.timeCost),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  // one person per login worker: the login throttle admits only a few attempts in flight for one account
  const pids = Array.from({ length: LOGIN_WORKERS }, (_, i) => pidWithCheckDigit(`123456${String(i).padStart(6, '0')}`));
  for (const pid of pids) mpid(env, ['account', 'add'], { ...PERSON, pid });
  const web = mpid(env, ['client', 'add'], { redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline_access', id_token_signed_response_alg: ID_TOKEN_ALG }) as unknown as Client;
  const machine = mpid(env, ['client', 'add'], { redirect_uris: [REDIRECT], grant_types: ['client_credentials'], scope: 'openid' }) as unknown as Client;
  // an API, as hospital systems call them: tokens for a resource server are JWTs (RFC 9068), not stored
  mpid(env, ['resource-server', 'add'], { identifier: API, scope: 'read', access_token_ttl: 900, signing_alg: 'ES256' });

  const ours = await startMpid(env, () => postgresPids(clusterDir));
  // the bare engine knows one client for all three flows: it gets the web client's id and secret
  const bare = await startBare(web, pids);
  const servers = [ours, bare];
  const atRest = { mpid: rssKiB(ours.child.pid!, 'VmRSS') / 1024, bare: rssKiB(bare.child.pid!, 'VmRSS') / 1024 };
  const results = new Map<string, { mpid: Figures[]; bare: Figures[] }>();
  const record = (what: string, name: 'mpid' | 'bare', f: Figures) => {
    if (!results.has(what)) results.set(what, { mpid: [], bare: [] });
    results.get(what)![name].push(f);
  };
  try {
    // each login worker holds its own rotating refresh token on each server
    const refresh = new Map<string, string[]>();
    for (const s of servers) {
      const tokens: string[] = [];
      for (let w = 0; w < TOKEN_WORKERS; w++) {
        const pid = pids[w % pids.length]!;
        const code = await authorize(s, web, pid, { scope: 'openid offline_access', prompt: 'consent' });
        tokens.push((await token(s, web, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })).refresh_token!);
      }
      refresh.set(s.name, tokens);
    }
    const flows: Array<[string, number, (s: Server) => (w: number) => Promise<unknown>]> = [
      ['client_credentials', TOKEN_WORKERS, (s) => () => token(s, s.name === 'bare' ? web : machine, { grant_type: 'client_credentials' })],
      ['client_credentials for an API (JWT)', TOKEN_WORKERS, (s) => () => token(s, s.name === 'bare' ? web : machine, { grant_type: 'client_credentials', resource: API, scope: 'read' })],
      ['refresh_token', TOKEN_WORKERS, (s) => async (w) => {
        const list = refresh.get(s.name)!;
        list[w] = (await token(s, web, { grant_type: 'refresh_token', refresh_token: list[w]! })).refresh_token!;
      }],
      ['full password login', LOGIN_WORKERS, (s) => async (w) => {
        const code = await authorize(s, web, pids[w]!);
        await token(s, web, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
      }],
    ];
    const only = process.env.BENCH_FLOWS?.split(',');
    for (const [what, workers, op] of flows.filter(([what]) => !only || only.some((o) => (o.endsWith('$') ? what === o.slice(0, -1) : what.startsWith(o))))) {
      for (const s of servers) await run(s, workers, op(s)).catch(() => undefined); // warm up (JIT, pools)
      for (let r = 0; r < rounds; r++) {
        // alternate which goes first, so neither always gets the quieter half
        for (const s of r % 2 ? [...servers].reverse() : servers) record(what, s.name, await run(s, workers, op(s)));
      }
    }
    const rest = { mpid: rssKiB(ours.child.pid!, 'VmHWM') / 1024, bare: rssKiB(bare.child.pid!, 'VmHWM') / 1024 };
    console.log(`\n### ${label}\n`);
    console.log('| flow | server | req/s | req/s per core (server CPU) | per core incl. PostgreSQL | CPU ms/req | p50 ms | p99 ms | peak RSS MiB | errors |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [what, r] of results) {
      const m = best(r.mpid);
      const b = best(r.bare);
      for (const [name, f] of [['Mor Prom ID', m], ['bare oidc-provider', b]] as const) {
        console.log(`| ${what} | ${name} | ${f0(f.rps)} | ${f0(f.perCore)} | ${f0(f.perCoreWithDb)} | ${f.cpuMs.toFixed(2)} | ${f0(f.p50)} | ${f0(f.p99)} | ${f0(f.rssMiB)} | ${f.errors} |`);
      }
      const extra = what === 'full password login' ? `; Mor Prom ID CPU per login = ${(m.cpuMs / hashCpuMs).toFixed(2)} × one hash, bare = ${(b.cpuMs / hashCpuMs).toFixed(2)} ×` : '';
      console.log(`| ${what} | **ratio** | ${(m.rps / b.rps).toFixed(2)} | **${(m.perCore / b.perCore).toFixed(2)}** | | | | | | ${extra} |`);
    }
    console.log(`\nRSS at rest (started, nothing asked yet): Mor Prom ID ${atRest.mpid.toFixed(0)} MiB, bare ${atRest.bare.toFixed(0)} MiB; peak over the whole run (VmHWM): Mor Prom ID ${rest.mpid.toFixed(0)} MiB, bare ${rest.bare.toFixed(0)} MiB`);
  } finally {
    await Promise.all(servers.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}

const [l1, l5, l15] = os.loadavg();
console.log(`node ${process.version}, ${os.cpus()[0]?.model} × ${cpus}, ${seconds} s per run, ${rounds} round(s), ID tokens ${ID_TOKEN_ALG}, load average ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} at start, ${new Date().toISOString()}`);
// the CPU cost of one verify at the same parameters, measured the same way (this process's CPU time)
const hasher = createPasswordHasher({ ...ARGON2, maxConcurrent: 1 });
const hash = await hasher.hash(PASSWORD);
const before = process.cpuUsage();
const n = quick ? 10 : 40;
for (let i = 0; i < n; i++) await hasher.verify(hash, PASSWORD);
const used = process.cpuUsage(before);
const hashCpuMs = (used.user + used.system) / 1000 / n;
console.log(`argon2id verify CPU (m=${Math.round(ARGON2.memoryKiB / 1024)} MiB, t=${ARGON2.timeCost}, p=${ARGON2.parallelism}): ${hashCpuMs.toFixed(1)} ms`);

if (databases.includes('pglite')) await compare('embedded PGlite (the database runs inside the IdP process)', undefined, undefined, hashCpuMs);
// BENCH_PG_SOCKET=1: the throwaway cluster through its Unix socket instead of loopback TCP
const viaSocket = (url: string, clusterDir?: string) => {
  if (process.env.BENCH_PG_SOCKET !== '1' || !clusterDir) return url;
  const port = readFileSync(path.join(clusterDir, 'port'), 'utf8').trim();
  return `postgres://postgres@/postgres?host=${encodeURIComponent(clusterDir)}&port=${port}`;
};
if (databases.includes('postgres')) {
  await withBenchPostgres('PostgreSQL comparison', (url, clusterDir) =>
    compare(`PostgreSQL server mode${process.env.BENCH_PG_SOCKET === '1' ? ' (Unix socket)' : ' (loopback TCP)'}`, viaSocket(url, clusterDir), clusterDir, hashCpuMs));
}
const [e1, e5, e15] = os.loadavg();
console.log(`\nload average at the end ${e1.toFixed(2)} ${e5.toFixed(2)} ${e15.toFixed(2)}`);
