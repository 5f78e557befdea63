// npm run bench: password hashing throughput and client-credentials token throughput through HTTP
// on the embedded database. Goals live here, not in timed tests.
import os from 'node:os';
import { openPglite } from '../src/kernel/db/index.ts';
import argon2 from 'argon2';
import * as rsArgon2 from '@node-rs/argon2';
import { createPasswordHasher } from '../src/idp/authenticators/password/hash.ts';
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

// The two argon2id bindings at the same parameters; both write and read standard PHC strings.
// the configured parameters (the same variables as the server reads), defaults as in src/config.ts
const params = {
  memoryKiB: Number(process.env.ARGON2_MEMORY_KIB ?? 19456),
  timeCost: Number(process.env.ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
};
const label = `m=${Math.round(params.memoryKiB / 1024)} MiB t=${params.timeCost} p=${params.parallelism}`;
const cpus = os.cpus().length;
const password = 'benchmark password';
const nodeArgon2 = { type: argon2.argon2id as 2, memoryCost: params.memoryKiB, timeCost: params.timeCost, parallelism: params.parallelism };
const rustArgon2 = { algorithm: 2 as const, memoryCost: params.memoryKiB, timeCost: params.timeCost, parallelism: params.parallelism };
const byNode = await argon2.hash(password, nodeArgon2);
const byRust = await rsArgon2.hash(password, rustArgon2);
if (!(await argon2.verify(byRust, password)) || !(await rsArgon2.verify(byNode, password))) throw new Error('the two libraries do not verify each other');
console.log('argon2 and @node-rs/argon2 verify each other’s PHC strings');
await measure(`argon2 (node-argon2) hash   ${label}`, cpus, () => argon2.hash(password, nodeArgon2));
await measure(`@node-rs/argon2     hash   ${label}`, cpus, () => rsArgon2.hash(password, rustArgon2));
await measure(`argon2 (node-argon2) verify ${label}`, cpus, () => argon2.verify(byNode, password));
await measure(`@node-rs/argon2     verify ${label}`, cpus, () => rsArgon2.verify(byNode, password));

const hasher = createPasswordHasher({ ...params, maxConcurrent: cpus });
const hash = await hasher.hash(password);
await measure('PasswordHasher.verify (the configured library, bounded concurrency)', cpus, () => hasher.verify(hash, password));

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
