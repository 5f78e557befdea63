// The cookie keys: Keygrip's signatures (so a deploy does not log everyone out), rotation (an older
// key still reads its cookies, the newest signs), and a tampered or foreign signature refused, through
// real Koa apps: one with the keys as a list (Koa's own Keygrip), one with ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { cookieKeys } from '../../../src/kernel/http/cookie_keys.ts';

const OLD = 'an older cookie key, 32 characters or more';
const NEW = 'the newest cookie key, 32 characters or more';

test('signatures are Keygrip’s: HMAC-SHA1 under the newest key in base64url; every key verifies', () => {
  const keys = cookieKeys([NEW, OLD]);
  const data = 'mpid.csrf=abc';
  const keygrip = (key: string) => createHmac('sha1', key).update(data).digest('base64').replace(/\/|\+|=/g, (x) => ({ '/': '_', '+': '-', '=': '' })[x]!);
  assert.equal(keys.sign(data), keygrip(NEW));
  assert.equal(keys.index(data, keygrip(NEW)), 0);
  assert.equal(keys.index(data, keygrip(OLD)), 1);
  assert.equal(keys.index(data, keygrip('a key we never had, 32 characters long')), -1);
  assert.equal(keys.index('mpid.csrf=abd', keygrip(NEW)), -1, 'another value');
  assert.equal(keys.index(data, keygrip(NEW).slice(0, -1)), -1, 'a shorter digest');
  assert.equal(keys.verify(data, keygrip(OLD)), true);
  assert.equal(keys.verify(data, ''), false);
  assert.throws(() => cookieKeys([]), /at least one/);
});

async function app(keys: Koa['keys']) {
  const koa = new Koa();
  koa.keys = keys;
  koa.use((ctx) => {
    if (ctx.path === '/set') ctx.cookies.set('c', 'value-1', { signed: true });
    ctx.body = { read: ctx.cookies.get('c', { signed: true }) ?? null };
  });
  const server = http.createServer(koa.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!);

test('through Koa: cookies signed by Keygrip are read, rotated keys re-sign, tampering is refused', async (t) => {
  const before = await app([OLD]);
  const ours = await app(cookieKeys([NEW, OLD]));
  const oursOnlyNew = await app(cookieKeys([NEW]));
  const keygripNew = await app([NEW]);
  t.after(() => Promise.all([before, ours, oursOnlyNew, keygripNew].map((a) => a.close())));

  const set = cookiesOf(await fetch(`${before.url}/set`));
  assert.equal(set.length, 2, 'the value and its signature');
  const read = await fetch(`${ours.url}/`, { headers: { cookie: set.join('; ') } });
  assert.deepEqual(await read.json(), { read: 'value-1' }, 'a cookie signed before the change is read');
  const resigned = cookiesOf(read);
  assert.equal(resigned.length, 1, 'signed by an older key: the signature is written again under the newest');
  const now = [set[0]!, resigned[0]!].join('; ');
  assert.deepEqual(await (await fetch(`${oursOnlyNew.url}/`, { headers: { cookie: now } })).json(), { read: 'value-1' });

  assert.deepEqual(await (await fetch(`${oursOnlyNew.url}/`, { headers: { cookie: set.join('; ') } })).json(), { read: null }, 'a key no longer held reads nothing');
  const tampered = [set[0]!.replace('value-1', 'value-2'), resigned[0]!].join('; ');
  assert.deepEqual(await (await fetch(`${ours.url}/`, { headers: { cookie: tampered } })).json(), { read: null });

  const ourSet = cookiesOf(await fetch(`${ours.url}/set`));
  assert.deepEqual(await (await fetch(`${keygripNew.url}/`, { headers: { cookie: ourSet.join('; ') } })).json(), { read: 'value-1' }, 'and Keygrip reads ours');
});
