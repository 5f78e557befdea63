// npm run bench (part 4): the time from "Read card" to evidence recorded at the counter. A private pcscd
// with the emulated Thai ID card (agent/test/helpers/pcsc.ts; needs root, pcscd, vsmartcard-vpcd and
// python3-virtualsmartcard), the card reader agent as its own process, paired with the IdP on PGlite.
// Side by side:
//   bare engine   GET /api/smartcard/read-card-only?readImageFlag=true: the chip read over PC/SC, photo included
//   Read card     the page's challenge → POST /api/mpid/card-read (chip read + signature) → verifyInPerson
//                 (signature, challenge used up, card matched to the account, evidence recorded)
// BENCH_CARD_SLOW_MS delays each of the emulated card's answers, to stand in for a real chip's transfer
// time (about 60 APDUs a read with the photo).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../src/kernel/db/index.ts';
import { cardReadChallengeAt } from '../src/idp/proofing/card_agents.ts';
import { verifyInPerson } from '../src/idp/proofing/methods/in_person/index.ts';
import { fromBuddhistDate } from '../src/kernel/thai/dates.ts';
import { freePort, startTestServer, TEST_PERSON } from '../test/helpers/server.ts';
import { fixtures, startPcsc } from '../agent/test/helpers/pcsc.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_CARD_READS ?? 10);
const slowMs = Number(process.env.BENCH_CARD_SLOW_MS ?? 0);

if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v pcscd']).status !== 0) {
  console.log('card read benchmark skipped: it needs root and pcscd, vsmartcard-vpcd, python3-virtualsmartcard (agent/scripts/ci-pcsc.sh installs them)');
  process.exit(0);
}

const pcsc = await startPcsc();
const server = await startTestServer(await openPglite());
const port = await freePort();
const agentUrl = `http://127.0.0.1:${port}`;
const env = { ...process.env, ...pcsc.env, MPID_AGENT_PORT: String(port), MPID_AGENT_IDP_URL: server.url, MPID_AGENT_AUTHENCODE_URL: server.url, MPID_AGENT_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'mpid-bench-agent-')), MPID_AGENT_LOG_LEVEL: 'error' };
const agent = spawn(process.execPath, ['agent/src/main.ts', 'start'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  const { accounts, units } = server.app();
  await units.importFile(path.join(root, 'samples/units.csv'));
  const verifier = (await accounts.create({ ...TEST_PERSON, phone_verified: true })).sub;
  const card = fixtures.somchai;
  const holder = (await accounts.create({ ...TEST_PERSON, pid: card.pid, given_name: card.given_name_th, family_name: card.family_name_th, birthdate: fromBuddhistDate(card.birthdate_be) })).sub;
  const { code } = await server.app().cardAgents.createPairingCode({ hcode: '10699', by: 'bench' });
  const pairing = spawn(process.execPath, ['agent/src/main.ts', 'pair', code], { cwd: root, env, stdio: 'ignore' }); // no Authen Code here: it says it is not registered there
  // asynchronously: the IdP answering the pairing runs in this process
  if ((await new Promise((resolve) => pairing.on('close', resolve))) !== 0) throw new Error('pairing failed');
  await pcsc.insert({ fixture: 'somchai', slowMs });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${agentUrl}/api/status`)).ok) break;
    } catch {
      if (i > 100) throw new Error('the agent did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const bare = async () => {
    const t = performance.now();
    const res = await fetch(`${agentUrl}/api/smartcard/read-card-only?readImageFlag=true`);
    if (res.status !== 200) throw new Error(`read-card-only answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    return performance.now() - t;
  };
  const readCard = async () => {
    const t = performance.now();
    const nonce = await cardReadChallengeAt(server.db, { hcode: '10699', actor: verifier });
    const res = await fetch(`${agentUrl}/api/mpid/card-read`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nonce, readImage: true }) });
    const body = (await res.json()) as { document?: string };
    if (res.status !== 200 || !body.document) throw new Error(`card-read answered ${res.status}: ${JSON.stringify(body)}`);
    const result = await verifyInPerson({ db: server.db, accounts }, { verifierSub: verifier, hcode: '10699', sub: holder, cardRead: body.document, cardStatusConfirmed: true, faceCompared: true, reason: '' });
    if (!result.ok) throw new Error(`evidence not recorded: ${result.reason}`);
    return performance.now() - t;
  };
  await bare();
  await readCard(); // warm up
  const report = async (name: string, fn: () => Promise<number>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await fn());
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    return { name, p50: pct(0.5), max: times[times.length - 1]!, pct };
  };
  const b = await report('bare engine (read-card-only with photo)', bare);
  const r = await report('Read card → evidence recorded', readCard);
  for (const x of [b, r]) console.log(`${x.name}: p50 ${x.p50.toFixed(0)} ms, max ${x.max.toFixed(0)} ms (${runs} reads, emulated card${slowMs ? `, ${slowMs} ms per answer` : ''})`);
  console.log(`  overhead of signing, challenge and evidence over the chip read: ${(r.p50 - b.p50).toFixed(0)} ms at p50; target: Read card → evidence under 3000 ms`);
} finally {
  agent.kill();
  await server.close();
  await server.db.close();
  await pcsc.stop();
}
