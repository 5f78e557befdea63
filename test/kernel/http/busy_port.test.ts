// Issue 11, item 9: a busy port (a second `npm start`, two test processes on the Authen Code's default
// port) ended the whole process with an unhandled 'error' event and a stack, the IdP included, after
// it had said it was ready. Now it is a one-line start-up error naming the port, and exit code 2.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { listen, PortUnavailable } from '../../../src/kernel/http/listen.ts';

const MAIN = path.resolve(import.meta.dirname, '../../../src/main.ts');

/** Runs the launcher to its end; the environment is only what is given (no inherited DATABASE_URL). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mpid-busy-'));
  const child = spawn(process.execPath, [MAIN], {
    // the stand-in ThaID on any free port: its default may be taken by a running `npm start`
    env: { PATH: process.env.PATH ?? '', DATA_DIR: path.join(root, 'data'), KEYS_DIR: path.join(root, 'certs'), LOG_LEVEL: 'silent', THAID_STAND_IN_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve({ code, stderr }))));
}

function assertOneLine(stderr: string, port: number, setting: string) {
  const lines = stderr.split('\n').filter((l) => l.trim() && !/^\(node:\d+\)|--trace-warnings/.test(l));
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0]!, new RegExp(`^mpid: port ${port} \\(${setting}\\) is already in use`));
  assert.ok(!/\n\s+at |Emitted 'error' event|EADDRINUSE/.test(stderr), 'no stack trace, no unhandled event');
}

describe('a port already in use', () => {
  let busy: Server;
  let port: number;
  before(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, r));
    port = (busy.address() as AddressInfo).port;
  });
  after(() => busy.close());

  it('listen() rejects with PortUnavailable, naming the port and its setting', async () => {
    await assert.rejects(listen(() => undefined, port, 'AUTHENCODE_PORT'), (e: Error) => e instanceof PortUnavailable && e.message.includes(String(port)) && e.message.includes('AUTHENCODE_PORT'));
    const free = await listen(() => undefined, 0);
    assert.ok(free.port > 0, 'port 0: the bound port is read back');
    await free.close();
  });

  it("the IdP's PORT busy: one line on stderr, exit code 2", async () => {
    const { code, stderr } = await runMain({ PORT: String(port) });
    assert.equal(code, 2);
    assertOneLine(stderr, port, 'PORT');
  });

  it('the Authen Code port busy, after the IdP is listening: one line on stderr, exit code 2, no crash', async () => {
    const { code, stderr } = await runMain({ PORT: '0', ISSUER: 'http://localhost:9', AUTHENCODE_PORT: String(port) });
    assert.equal(code, 2);
    assertOneLine(stderr, port, 'AUTHENCODE_PORT');
  });
});
