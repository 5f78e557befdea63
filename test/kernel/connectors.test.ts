// What the connectors to outside services share: the circuit breaker (opens after failures in a row,
// refuses without calling while open, lets one trial through, closes on success), HTTP Basic
// credentials, and the JSON request against a real local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuth, CircuitBreaker, CircuitOpen, postJson } from '../../src/kernel/connectors/index.ts';

test('the breaker opens after the failures in a row, refuses without calling, and lets one trial through at a time', async () => {
  let clock = 1_000;
  let calls = 0;
  const breaker = new CircuitBreaker({ threshold: 3, openMs: 10_000, now: () => clock });
  const failing = async () => {
    calls++;
    throw new Error('down');
  };
  await assert.rejects(breaker.call(failing), /down/);
  await assert.rejects(breaker.call(failing), /down/);
  assert.equal(await breaker.call(async () => 'up'), 'up', 'a success resets the count');
  for (let i = 0; i < 3; i++) await assert.rejects(breaker.call(failing), /down/);
  calls = 0;
  await assert.rejects(breaker.call(failing), CircuitOpen);
  assert.equal(calls, 0, 'no call while open');

  clock += 10_000;
  let release!: (v: string) => void;
  const trial = breaker.call(() => new Promise<string>((r) => (release = r)));
  await assert.rejects(breaker.call(async () => 'second'), CircuitOpen, 'one trial at a time');
  release('recovered');
  assert.equal(await trial, 'recovered');
  assert.equal(await breaker.call(async () => 'closed'), 'closed', 'the trial closed it');
});

test('a failed trial opens the breaker again for the whole period', async () => {
  let clock = 0;
  const breaker = new CircuitBreaker({ threshold: 1, openMs: 5_000, now: () => clock });
  await assert.rejects(breaker.call(async () => Promise.reject(new Error('down'))), /down/);
  clock = 5_000;
  await assert.rejects(breaker.call(async () => Promise.reject(new Error('still down'))), /still down/);
  clock = 9_999;
  await assert.rejects(breaker.call(async () => 'early'), CircuitOpen);
  clock = 10_000;
  assert.equal(await breaker.call(async () => 'up'), 'up');
});

test('Basic credentials only when both parts are given', () => {
  assert.deepEqual(basicAuth('agent', 's3cr:et'), { authorization: `Basic ${Buffer.from('agent:s3cr:et').toString('base64')}` });
  assert.deepEqual(basicAuth('agent', undefined), {});
  assert.deepEqual(basicAuth(undefined, undefined), {});
});

test('postJson sends JSON with the credentials and gives up at its time limit', async (t) => {
  const seen: Array<{ type?: string; accept?: string; authorization?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ type: req.headers['content-type'], accept: req.headers.accept, authorization: req.headers.authorization, body });
      if (req.url === '/slow') return setTimeout(() => res.end('{}'), 2_000);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  server.on('connection', (s) => t.after(() => s.destroy()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const res = await postJson(`${base}/`, { pid: '1' }, { timeoutMs: 1_000, username: 'u', secret: 'p' });
  assert.deepEqual(await res.json(), { ok: true });
  assert.deepEqual(seen[0], { type: 'application/json', accept: 'application/json', authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, body: '{"pid":"1"}' });

  await assert.rejects(postJson(`${base}/slow`, {}, { timeoutMs: 100 }), { name: 'TimeoutError' });
  assert.equal(seen[1]!.authorization, undefined);
});

test('without a clock of its own the breaker reads the real one (the connectors pass `now: undefined` in production)', async () => {
  const breaker = new CircuitBreaker({ threshold: 1, openMs: 60_000, now: undefined });
  await assert.rejects(breaker.call(async () => Promise.reject(new Error('down'))), /down/);
  await assert.rejects(breaker.call(async () => 'early'), CircuitOpen);
});
