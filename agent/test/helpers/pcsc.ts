// A private pcscd with the vpcd driver, and emulated Thai ID cards to put in its two readers.
// Needs root (a mount namespace for /run/pcscd), pcscd, vsmartcard-vpcd and python3-virtualsmartcard.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThaiIdCard } from '../../src/card/thai_id.ts';

export interface CardSpec {
  fixture?: 'somchai' | 'malee';
  atr?: '3b67' | '3b68' | '3b79';
  /** delay per APDU, ms */
  slowMs?: number;
  fault?: 'wrong_aid' | 'garbage' | 'short' | 'remove_mid_read';
}

export interface Pcsc {
  /** PCSCLITE_CSOCK_NAME=… — pass to any process that talks to this pcscd */
  env: Record<string, string>;
  /** Resolves when the card is powered in the reader. */
  insert(spec?: CardSpec, slot?: 0 | 1): Promise<void>;
  remove(slot?: 0 | 1): Promise<void>;
  /** Kills emulators and pcscd, removes temp dirs. */
  stop(): Promise<void>;
  /** The reader name of a slot ("Virtual PCD 00 00" / "Virtual PCD 00 01"). */
  readerName(slot?: 0 | 1): string;
  /** pcscd goes away (its cards with it) while the socket path stays, for outage tests. */
  stopDaemon(): Promise<void>;
  /** pcscd comes back on the same socket path. */
  startDaemon(): Promise<void>;
}

export type FixtureCard = ThaiIdCard & { photo: Buffer };

const here = dirname(fileURLToPath(import.meta.url));
const agentDir = join(here, '..', '..');
const fixturesDir = join(here, '..', 'fixtures');
const emulator = join(here, '..', 'emulator', 'thai_id_card.py');

function loadFixture(name: 'somchai' | 'malee'): FixtureCard {
  const { photo, ...card } = JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), 'utf8'));
  return { ...card, photo: readFileSync(join(fixturesDir, photo)) };
}

export const fixtures: Record<'somchai' | 'malee', FixtureCard> = {
  somchai: loadFixture('somchai'),
  malee: loadFixture('malee'),
};

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', killAll);
// A test run stopped by a signal must not leave pcscd behind; then the signal goes on as usual.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { killAll(); process.kill(process.pid, signal); });
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const late = setTimeout(() => child.kill('SIGKILL'), 2000);
  await done;
  clearTimeout(late);
}

/** A port p with p and p+1 free (vpcd listens on both, one per reader). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) => new Promise<ReturnType<typeof createServer> | null>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
  for (let tries = 0; tries < 50; tries++) {
    const first = await listen(0);
    if (!first) continue;
    const port = (first.address() as { port: number }).port;
    const second = port < 65535 ? await listen(port + 1) : null;
    await new Promise((r) => first.close(r));
    if (second) {
      await new Promise((r) => second.close(r));
      return port;
    }
  }
  throw new Error('no free pair of ports');
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Runs in a child process so this process never loads pcsc-lite with the wrong socket.
const waitForCardScript = `
const sc = require('smartcard');
const { READER, WANT, TIMEOUT_MS } = process.env;
const deadline = Date.now() + Number(TIMEOUT_MS);
(function poll() {
  let has = false;
  try {
    const ctx = new sc.Context();
    try {
      const r = ctx.listReaders().find((r) => r.name === READER);
      has = !!(r && (r.state & sc.SCARD_STATE_PRESENT) && r.atr && r.atr.length);
    } finally { ctx.close(); }
  } catch {}
  if (has === (WANT === '1')) process.exit(0);
  if (Date.now() > deadline) process.exit(1);
  setTimeout(poll, 100);
})();`;

export async function startPcsc(): Promise<Pcsc> {
  const dir = mkdtempSync(join(tmpdir(), 'mpid-pcsc-'));
  tempDirs.add(dir);
  const port = await freePortPair();
  mkdirSync(join(dir, 'conf'));
  mkdirSync(join(dir, 'run'));
  writeFileSync(join(dir, 'conf', 'vpcd'),
    `FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:${port}\nLIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID ${port}\n`);
  const socket = join(dir, 'run', 'pcscd.comm');
  const env = { PCSCLITE_CSOCK_NAME: socket };
  const log = join(dir, 'pcscd.log');
  let daemon: ChildProcess | undefined;
  const cards: (ChildProcess | undefined)[] = [undefined, undefined];
  const readerName = (slot: 0 | 1 = 0) => `Virtual PCD 00 0${slot}`;

  async function startDaemon(): Promise<void> {
    rmSync(socket, { force: true });
    const out = openSync(log, 'a');
    daemon = track(spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
      `mkdir -p /run/pcscd && mount --bind "${dir}/run" /run/pcscd && exec pcscd -f -c "${dir}/conf"`], { stdio: ['ignore', out, out] }));
    closeSync(out);
    const child = daemon;
    await until(() => {
      if (child.exitCode !== null) throw new Error(`pcscd exited (${child.exitCode}); see ${log}: ${readFileSync(log, 'utf8').slice(-500)}`);
      return existsSync(socket);
    }, 10000, 'pcscd socket');
  }

  async function stopDaemon(): Promise<void> {
    await Promise.all(cards.map((card) => kill(card)));
    cards.fill(undefined);
    await kill(daemon);
    daemon = undefined;
  }

  function cardState(slot: 0 | 1, present: boolean, ms: number): Promise<boolean> {
    const child = track(spawn(process.execPath, ['-e', waitForCardScript], {
      cwd: agentDir,
      env: { ...process.env, ...env, READER: readerName(slot), WANT: present ? '1' : '0', TIMEOUT_MS: String(ms) },
      stdio: 'ignore',
    }));
    return new Promise((resolve) => child.once('exit', (code) => resolve(code === 0)));
  }

  async function insert(spec: CardSpec = {}, slot: 0 | 1 = 0): Promise<void> {
    await remove(slot);
    const args = [emulator, '--port', String(port + slot), '--fixture', join(fixturesDir, `${spec.fixture ?? 'somchai'}.json`),
      '--atr', spec.atr ?? '3b68', '--slow', String(spec.slowMs ?? 0)];
    if (spec.fault) args.push('--fault', spec.fault);
    // vpcd may not listen yet right after pcscd starts, and the emulator gives up at once then.
    for (let attempt = 0; attempt < 10; attempt++) {
      const out = openSync(join(dir, `card${slot}.log`), 'a');
      const card = track(spawn('/usr/bin/python3', args, {
        stdio: ['ignore', out, out],
        env: { ...process.env, PYTHONPATH: '/usr/lib/python3/site-packages/virtualsmartcard' },
      }));
      closeSync(out);
      cards[slot] = card;
      const gaveUp = exited(card).then(() => false);
      if (await Promise.race([cardState(slot, true, 10000), gaveUp])) return;
      await kill(card);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the emulated card did not come up in ${readerName(slot)}`);
  }

  async function remove(slot: 0 | 1 = 0): Promise<void> {
    const card = cards[slot];
    if (!card) return;
    cards[slot] = undefined;
    await kill(card);
    if (daemon && !(await cardState(slot, false, 10000))) throw new Error(`${readerName(slot)} still shows a card`);
  }

  async function stop(): Promise<void> {
    await stopDaemon();
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }

  try {
    await startDaemon();
  } catch (e) {
    await stop();
    throw e;
  }
  return { env, insert, remove, stop, readerName, stopDaemon, startDaemon };
}
