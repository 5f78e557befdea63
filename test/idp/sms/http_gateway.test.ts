// The production SMS connector against a stand-in gateway on loopback (the real one is outside this
// system): signed requests, retries with back-off on 5xx, no retry on 4xx, timeouts surfaced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { HttpSmsGateway, SmsDeliveryError } from '../../../src/idp/sms/index.ts';

const SECRET = 'shared-secret-for-tests';
let answers: Array<number | 'hang'> = [];
const received: Array<{ body: string; headers: http.IncomingHttpHeaders }> = [];
let server: http.Server;
let url: string;

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      const next = answers.shift() ?? 200;
      if (next === 'hang') return; // never answers
      res.statusCode = next;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const gateway = () => new HttpSmsGateway({ url, username: 'mpid', secret: SECRET, timeoutMs: 300, retries: 2, backoffMs: 10 });

test('a message is sent once, signed, with basic credentials', async () => {
  received.length = 0;
  answers = [200];
  await gateway().send('+66812345678', 'hello');
  assert.equal(received.length, 1);
  const { body, headers } = received[0]!;
  assert.deepEqual({ ...JSON.parse(body), id: 'x' }, { id: 'x', to: '+66812345678', text: 'hello' });
  const expected = createHmac('sha256', SECRET).update(`${headers['x-mpid-timestamp']}.${body}`).digest('base64url');
  assert.equal(headers['x-mpid-signature'], expected);
  assert.equal(headers.authorization, `Basic ${Buffer.from(`mpid:${SECRET}`).toString('base64')}`);
});

test('5xx answers are retried with the same message id, then succeed', async () => {
  received.length = 0;
  answers = [503, 502, 200];
  await gateway().send('+66812345678', 'retry me');
  assert.equal(received.length, 3);
  const ids = received.map((r) => JSON.parse(r.body).id);
  assert.equal(new Set(ids).size, 1, 'one id across retries');
});

test('failures are surfaced: a 4xx is not retried; timeouts and exhausted retries throw', async () => {
  received.length = 0;
  answers = [400];
  await assert.rejects(gateway().send('+66812345678', 'bad'), (e: Error) => e instanceof SmsDeliveryError && /400/.test(e.message));
  assert.equal(received.length, 1);
  answers = [500, 500, 500];
  await assert.rejects(gateway().send('+66812345678', 'x'), /500/);
  answers = ['hang', 'hang', 'hang'];
  await assert.rejects(gateway().send('+66812345678', 'x'), /timed out/);
  await assert.rejects(new HttpSmsGateway({ url: 'http://127.0.0.1:1/send', username: 'u', secret: SECRET, retries: 0 }).send('+66812345678', 'x'), /unreachable/);
});
