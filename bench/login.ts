// npm run bench (part 2): full password logins through the HTTP interface — authorization request,
// login form, consent, code exchange at the token endpoint — against a server in its own process, on
// the embedded database and on PostgreSQL. The server's own CPU time is read from /proc, so the cost
// of a login can be compared with the cost of one password hash (goal: at most 1.25 ×).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPasswordHasher } from '../src/idp/authenticators/password/hash.ts';
import { cpuSeconds, mpid, withBenchPostgres } from './support.ts';
import { freePort, pidWithCheckDigit } from '../test/helpers/server.ts';
import { Person } from '../test/helpers/person.ts';

const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const ARGON2 = { memoryKiB: Number(process.env.ARGON2_MEMORY_KIB ?? 19456), timeCost: Number(process.env.ARGON2_TIME_COST ?? 2), parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1) };
const REDIRECT = 'https://bench.example/cb';
const PERSON = { pid: '1234567890121', given_name: 'สมหญิง', family_name: 'รักษ์สุขภาพ', birthdate: '1985-03-14', phone_number: '0812345678', password: 'long enough passphrase' };



async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${env.ISSUER}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not start');
}

async function loginOnce(issuer: string, client: { client_id: string; client_secret: string }, pid = PERSON.pid) {
  const person = new Person(issuer);
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', nonce: 'n' }).toString();
  const callback = new URL(await person.logInAndConsent(url, pid, PERSON.password));
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT }).toString(),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  await res.arrayBuffer();
}

async function measureLogins(label: string, databaseUrl: string | undefined, hashCpuMs: number) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-bench-'));
  const env = {
    ...process.env,
    PORT: String(port),
    ISSUER: `http://127.0.0.1:${port}`,
    DATA_DIR: path.join(dir, 'data'),
    KEYS_DIR: path.join(dir, 'certs'),
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: String(ARGON2.memoryKiB),
    ARGON2_TIME_COST: String(ARGON2.timeCost),
    ARGON2_PARALLELISM: String(ARGON2.parallelism),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  // one person per worker: the login throttle admits only a few attempts in flight for one account
  const concurrency = os.cpus().length * 2;
  const pids = Array.from({ length: concurrency }, (_, i) => pidWithCheckDigit(`123456${String(i).padStart(6, '0')}`));
  for (const pid of pids) mpid(env, ['account', 'add'], { ...PERSON, pid });
  const client = mpid(env, ['client', 'add'], { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' }) as { client_id: string; client_secret: string };
  const server = await startServer(env);
  try {
    await loginOnce(env.ISSUER, client, pids[0]); // warm up
    let done = 0;
    const cpu0 = cpuSeconds(server.pid!);
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    await Promise.all(
      pids.map(async (pid) => {
        while (performance.now() < end) {
          await loginOnce(env.ISSUER, client, pid);
          done++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const cpuMsPerLogin = ((cpuSeconds(server.pid!) - cpu0) * 1000) / done;
    console.log(
      `full password login over HTTP, ${label}: ${(done / elapsed).toFixed(1)}/s (concurrency ${concurrency}), ` +
        `server CPU ${cpuMsPerLogin.toFixed(1)} ms per login = ${(cpuMsPerLogin / hashCpuMs).toFixed(2)} × one hash, ` +
        `${(1000 / cpuMsPerLogin).toFixed(1)} logins/s per core`,
    );
  } finally {
    server.kill('SIGTERM');
  }
}

// the CPU cost of one verify at the same parameters, measured the same way (this process's CPU time)
const hasher = createPasswordHasher({ ...ARGON2, maxConcurrent: 1 });
const hash = await hasher.hash(PERSON.password);
const before = process.cpuUsage();
const n = 40;
for (let i = 0; i < n; i++) await hasher.verify(hash, PERSON.password);
const used = process.cpuUsage(before);
const hashCpuMs = (used.user + used.system) / 1000 / n;
console.log(`argon2id verify CPU (m=19 MiB, t=2, p=1): ${hashCpuMs.toFixed(1)} ms`);

await measureLogins('embedded PGlite', undefined, hashCpuMs);

await withBenchPostgres('PostgreSQL login benchmark', (url) => measureLogins('PostgreSQL (server CPU of the IdP process only)', url, hashCpuMs));
