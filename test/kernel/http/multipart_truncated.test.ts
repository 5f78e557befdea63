// The multipart reader never throws past its caller: a file part cut off before its closing boundary
// (busboy's "Unexpected end of form" on the file stream), a body cut mid-headers or a client that goes
// away mid-upload is a 400 to that request, and the process keeps answering the next one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { displayFileName, readMultipart } from '../../../src/kernel/http/multipart.ts';
import { watchUncaught } from '../../helpers/uncaught.ts';

let server: Server;
let port: number;
let base: string;
const uncaught = watchUncaught();

before(async () => {
  const app = new Koa();
  app.silent = true; // an aborted request is Koa's to log, not this test's
  app.use(async (ctx) => {
    try {
      const form = await readMultipart(ctx, { files: ['qr_image'], maxFileBytes: 1024 });
      ctx.body = { fields: { ...form.fields }, files: Object.fromEntries(Object.entries(form.files).map(([k, v]) => [k, v.toString()])), fileNames: form.fileNames };
    } catch (err) {
      ctx.status = (err as { status?: number }).status ?? 500;
      ctx.body = { error: (err as Error).message };
    }
  });
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
after(() => {
  uncaught.stop();
  server.close();
});

const post = (body: string, type = 'multipart/form-data; boundary=zzz') => fetch(base, { method: 'POST', headers: { 'content-type': type }, body });
const stillUp = async (what: string) => {
  await uncaught.assertNone(what);
  assert.equal((await post('--zzz--\r\n')).status, 200, 'the process still answers');
};

test('the attack from issue 11: a file part with no closing boundary is a 400 with a message, and the process lives', async () => {
  const res = await post('--zzz\r\nContent-Disposition: form-data; name="qr_image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG');
  assert.equal(res.status, 400);
  assert.ok(((await res.json()) as { error: string }).error.length > 0, 'a message says why');
  await stillUp('a truncated file part');
});

test('other cut-off bodies: an unwanted file part, a field part, mid-headers, no boundary at all', async () => {
  for (const body of [
    '--zzz\r\nContent-Disposition: form-data; name="other"; filename="b.bin"\r\n\r\nxx',
    '--zzz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc',
    '--zzz\r\nContent-Disposition: form-da',
    '--zzz',
    '',
  ]) {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(body));
  }
  assert.equal((await post('x', 'multipart/form-data')).status, 400, 'no boundary');
  assert.equal((await post('x', 'text/plain')).status, 415);
  await stillUp('cut-off bodies');
});

test('a client that goes away in the middle of a file part does not stop the process', async () => {
  const socket = connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const part = '--zzz\r\nContent-Disposition: form-data; name="qr_image"; filename="a.png"\r\n\r\nPNG';
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zzz\r\nContent-Length: 100000\r\n\r\n${part}`);
  await new Promise((r) => setTimeout(r, 50));
  socket.destroy();
  await new Promise((r) => setTimeout(r, 50));
  await stillUp('a client gone mid-upload');
});

test('a whole body still reads: fields, the wanted file, and a file over the limit is a 413', async () => {
  const ok = await post('--zzz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nt0k\r\n--zzz\r\nContent-Disposition: form-data; name="qr_image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--zzz--\r\n');
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { fields: { csrf: 't0k' }, files: { qr_image: 'PNG' }, fileNames: { qr_image: 'a.png' } });
  const big = await post(`--zzz\r\nContent-Disposition: form-data; name="qr_image"; filename="a.png"\r\n\r\n${'x'.repeat(2048)}\r\n--zzz--\r\n`);
  assert.equal(big.status, 413);
});

test("each file keeps the name it had on the sender's device, fit to show in a message", async () => {
  const r = await post('--zzz\r\nContent-Disposition: form-data; name="qr_image"; filename="/home/somchai/ภาพ QR.jpg"\r\n\r\nJPG\r\n--zzz--\r\n');
  assert.deepEqual((await r.json()).fileNames, { qr_image: 'ภาพ QR.jpg' }, 'no folder');
  assert.equal(displayFileName('C:\\Users\\somchai\\scan\u0007\u202e.png'), 'scan.png', 'no Windows folder, no control or direction character');
  assert.equal(displayFileName('../../etc/passwd'), 'passwd');
  assert.equal(displayFileName(undefined), '');
  const long = displayFileName(`${'ก'.repeat(100)}.jpeg`);
  assert.equal(long.length, 77);
  assert.ok(long.endsWith('.jpeg') && long.includes('…'), 'a long name keeps its start and its extension');
});
