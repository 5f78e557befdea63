// npm run bench: password hashing throughput and client-credentials token throughput through HTTP
// on the embedded database. Goals live here, not in timed tests.
import os from 'node:os';
import { openPglite } from '../src/db/index.ts';
import { createPasswordHasher } from '../src/account/password.ts';
import { startTestServer, addClient } from '../test/helpers/server.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

async function measure(label: string, concurrency: number, op: () => Promise<unknown>) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(`${label}: ${(latencies.length / seconds).toFixed(1)}/s (concurrency ${concurrency}, p50 ${pct(50)} ms, p99 ${pct(99)} ms)`);
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model} × ${os.cpus().length}, ${seconds} s per measurement`);

const hasher = createPasswordHasher({ memoryKiB: 19456, timeCost: 2, parallelism: 1, maxConcurrent: os.cpus().length });
const hash = await hasher.hash('benchmark password');
await measure('argon2id verify (m=19 MiB, t=2, p=1)', os.cpus().length, () => hasher.verify(hash, 'benchmark password'));

const db = await openPglite();
const server = await startTestServer(db);
const client = await addClient(server, { redirect_uris: ['https://bench.example/cb'], grant_types: ['client_credentials'] });
const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
await measure('client_credentials token, embedded PGlite, over HTTP', 16, async () => {
  const res = await fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  await res.arrayBuffer();
});
await server.close();
await db.close();
