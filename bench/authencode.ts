// npm run bench (part 3): confirm-save throughput of the Authen Code API on PostgreSQL. The test zone
// (IdP and Authen Code service) runs in its own process; a hospital system's client-credentials token
// from the IdP authenticates every call; each call confirms a new visit (a new person), so each one
// allocates an Authen Code. Reports requests/s, p50/p99 latency and the server's CPU per request
// (read from /proc), i.e. requests per second per core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuSeconds, mpid, withBenchPostgres } from './support.ts';
import { freePort, pidWithCheckDigit } from '../test/helpers/server.ts';

const root = path.resolve(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 5);



async function waitFor(url: string, child: ChildProcess) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`${url} did not answer`);
}

async function measure(databaseUrl: string) {
  const [port, acPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-bench-ac-'));
  const env = {
    ...process.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, AUTHENCODE_PORT: String(acPort), AUTHENCODE_URL: `http://127.0.0.1:${acPort}`,
    DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'certs'), LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl,
  };
  const his = mpid(env, ['client', 'add'], { client_id: 'his-bench', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode: '10699' });
  const server = spawn(process.execPath, ['src/main.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(`${env.AUTHENCODE_URL}/readyz`, server);
    const tokenRes = await fetch(`${env.ISSUER}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`his-bench:${his.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'authencode', resource: `${env.AUTHENCODE_URL}/api` }).toString(),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    let serial = 0;
    const confirm = async () => {
      const pid = pidWithCheckDigit(`1${String(Date.now() % 1e6).padStart(6, '0')}${String(serial++).padStart(5, '0')}`);
      const t = performance.now();
      const res = await fetch(`${env.AUTHENCODE_URL}/api/nhso-service/confirm-save`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pid, claimType: 'PG0060001', mobile: '0812345678' }),
      });
      if (res.status !== 201) throw new Error(`confirm-save answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    for (let i = 0; i < 20; i++) await confirm(); // warm up (keys fetched, JIT)
    const concurrency = os.cpus().length * 4;
    const latencies: number[] = [];
    const cpu0 = cpuSeconds(server.pid!);
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) latencies.push(await confirm());
    }));
    const elapsed = (performance.now() - t0) / 1000;
    const cpuMs = ((cpuSeconds(server.pid!) - cpu0) * 1000) / latencies.length;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
    console.log(
      `confirm-save over HTTP, PostgreSQL (${concurrency} concurrent): ${(latencies.length / elapsed).toFixed(0)}/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; ` +
        `server CPU ${cpuMs.toFixed(2)} ms per request = ${(1000 / cpuMs).toFixed(0)} requests/s per core`,
    );
  } finally {
    server.kill('SIGTERM');
  }
}

await withBenchPostgres('Authen Code benchmark', (url) => measure(url));
