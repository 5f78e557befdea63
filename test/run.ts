// npm test: runs every test/**/*.test.ts and the card reader agent's agent/test/*.test.ts with Node's
// test runner, against embedded PGlite and a PostgreSQL server. Without TEST_DATABASE_URL it starts a throwaway cluster and removes it after.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const script = path.join(root, 'scripts/throwaway-pg.sh');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

let clusterDir: string | undefined;
const stopCluster = () => {
  if (clusterDir) spawnSync('bash', [script, 'stop', clusterDir], { stdio: 'inherit' });
  clusterDir = undefined;
};

// The card reader agent's tests and the counter's end to end run a private pcscd with emulated cards:
// its own dependencies (one npm ci, the smartcard addon built), root, pcscd, vpcd and the Python library.
const agentDir = path.join(root, 'agent');
if (!existsSync(path.join(agentDir, 'node_modules/smartcard'))) {
  const installed = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: agentDir, stdio: 'inherit' });
  if (installed.status !== 0) {
    console.error('npm test needs the card reader agent installed: cd agent && npm ci (it builds the smartcard addon: apt-get install libpcsclite-dev)');
    process.exit(1);
  }
}
const pcscMissing = [
  ['root (a private pcscd in its own mount namespace)', process.getuid?.() === 0],
  ['pcscd', existsSync('/usr/sbin/pcscd')],
  ['vsmartcard-vpcd', existsSync('/usr/lib/pcsc/drivers/serial/libifdvpcd.so')],
  ['python3-virtualsmartcard', existsSync('/usr/lib/python3/site-packages/virtualsmartcard')],
].filter(([, ok]) => !ok).map(([what]) => what);
if (pcscMissing.length) {
  console.error(`npm test needs, for the card reader tests: ${pcscMissing.join(', ')} — as root: bash agent/scripts/ci-pcsc.sh (Debian)`);
  process.exit(1);
}

const env = { ...process.env };
if (!env.TEST_DATABASE_URL) {
  clusterDir = mkdtempSync(path.join(os.tmpdir(), 'mpid-pg-'));
  const started = spawnSync('bash', [script, 'start', clusterDir], { encoding: 'utf8' });
  if (started.status !== 0) {
    process.stderr.write(started.stderr);
    console.error('npm test needs a PostgreSQL server: install postgresql (Debian: apt-get install postgresql) or set TEST_DATABASE_URL');
    process.exit(1);
  }
  env.TEST_DATABASE_URL = started.stdout.trim();
}

const args = process.argv.slice(2);
const files = args.length ? args : [...testFiles(path.join(root, 'test')), ...testFiles(path.join(root, 'agent/test'))];
const runner = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=180000', ...files], { env, stdio: 'inherit', cwd: root });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    runner.kill(signal);
  });
}
runner.on('exit', (code, signal) => {
  stopCluster();
  process.exit(code ?? (signal ? 1 : 0));
});
