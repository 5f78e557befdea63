// The edge refuses NUL and bytes that are not UTF-8 in the path, the query and urlencoded or JSON
// bodies (and JSON nested too deep), and hands every other body on unread: the parsers behind it
// (@koa/bodyparser, oidc-provider's stream reader) get exactly the bytes that were sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { MAX_JSON_DEPTH, MAX_TEXT_BODY, requestText } from '../../../src/kernel/http/input.ts';

let server: Server;
let base: string;

before(async () => {
  const app = new Koa();
  app.silent = true; // the parsers' own 400s are expected here
  app.use(requestText((ctx, refusal) => {
    ctx.status = refusal.status;
    ctx.body = { refused: refusal.description };
  }));
  const form = bodyParser({ enableTypes: ['form'], formLimit: '1mb' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' });
  app.use(async (ctx) => {
    if (ctx.path === '/form') return form(ctx, async () => void (ctx.body = { form: ctx.request.body }));
    if (ctx.path === '/json') return json(ctx, async () => void (ctx.body = { json: ctx.request.body }));
    if (ctx.path === '/raw') {
      // as oidc-provider reads its bodies (lib/shared/selective_body.js)
      assert.ok(ctx.req.readable, 'the stream is still readable');
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req.iterator({ destroyOnReturn: false })) chunks.push(chunk as Buffer);
      ctx.body = { raw: Buffer.concat(chunks).toString('latin1') };
      return;
    }
    ctx.body = { path: ctx.path, query: ctx.query };
  });
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const post = (path: string, type: string, body: string | Buffer | ReadableStream) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body: body as BodyInit, duplex: 'half' } as RequestInit);
const refused = async (res: Response, status = 400) => {
  assert.equal(res.status, status);
  assert.match(((await res.json()) as { refused: string }).refused, /NUL|UTF-8|deep|too large/);
};
const streamOf = (...chunks: string[]) =>
  new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
      c.close();
    },
  });

describe('the path and the query', () => {
  test('NUL or bytes that are not UTF-8 are refused, decoded or not', async () => {
    for (const bad of ['/a%00b', '/a%FFb', '/a%C0%AF', '/a%ED%A0%80', '/x?client_id=a%00b', '/x?state=%E0%B8', '/x?a=1&%00=2', '/x?a=%F0%9F%98'])
      await refused(await fetch(`${base}${bad}`));
  });
  test('Thai, emoji and malformed escapes pass through', async () => {
    const res = await fetch(`${base}/%E0%B8%81?a=%E0%B8%81&b=%F0%9F%98%80&c=%zz&d=%`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { query: unknown }).query, { a: 'ก', b: '😀', c: '%zz', d: '%' });
  });
});

describe('urlencoded bodies', () => {
  test('NUL, raw or percent-encoded, and bytes that are not UTF-8 are refused', async () => {
    await refused(await post('/form', 'application/x-www-form-urlencoded', 'token=a%00b'));
    await refused(await post('/form', 'application/x-www-form-urlencoded', 'given_name=%FF'));
    await refused(await post('/form', 'application/x-www-form-urlencoded', Buffer.from([0x61, 0x3d, 0x00])));
    await refused(await post('/form', 'application/x-www-form-urlencoded; charset=utf-8', Buffer.from([0x61, 0x3d, 0xe0, 0xb8])));
    await refused(await post('/raw', 'application/x-www-form-urlencoded', streamOf('a=1&', 'b=%0', '0')));
  });
  test('a clean body reaches the parser whole, in one piece or in chunks', async () => {
    let res = await post('/form', 'application/x-www-form-urlencoded', 'given_name=%E0%B8%AA%E0%B8%A1&a[b]=c');
    assert.deepEqual(await res.json(), { form: { given_name: 'สม', a: { b: 'c' } } });
    res = await post('/form', 'application/x-www-form-urlencoded', streamOf('a=1&', 'b=2'));
    assert.deepEqual(await res.json(), { form: { a: '1', b: '2' } });
    res = await post('/raw', 'application/x-www-form-urlencoded', streamOf('grant_type=client_credentials&', 'client_id=x'));
    assert.deepEqual(await res.json(), { raw: 'grant_type=client_credentials&client_id=x' });
    res = await post('/raw', 'application/x-www-form-urlencoded', streamOf());
    assert.deepEqual(await res.json(), { raw: '' }, 'an empty chunked body');
    const big = `a=${'x'.repeat(MAX_TEXT_BODY - 100)}`;
    res = await post('/raw', 'application/x-www-form-urlencoded', big);
    assert.equal(((await res.json()) as { raw: string }).raw, big, 'many chunks, put back in order');
  });
  test('more than the edge reads is refused as too large, and the client gets that answer', async () => {
    await refused(await post('/form', 'application/x-www-form-urlencoded', `a=${'x'.repeat(MAX_TEXT_BODY)}`), 413);
    await refused(await post('/form', 'application/x-www-form-urlencoded', `a=${'x'.repeat(300_000)}`), 413);
    await refused(await post('/form?x=%00', 'application/x-www-form-urlencoded', `a=${'x'.repeat(300_000)}`));
  });
});

describe('JSON bodies', () => {
  test('NUL, lone surrogates (escaped or not) and too deep a nesting are refused', async () => {
    for (const bad of ['{"a":"\\u0000"}', '{"\\u0000":1}', '{"a":["x","\\ud800"]}', '"\\udc00"', `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`])
      await refused(await post('/json', 'application/json', bad));
    await refused(await post('/json', 'application/vnd.api+json', '{"a":"\\u0000"}'));
    await refused(await post('/json', 'application/json', Buffer.from('{"a":"\xff"}', 'latin1')));
  });
  test('clean JSON reaches the parser; JSON that is not JSON is left to it', async () => {
    const nested = `${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}`; // MAX_JSON_DEPTH levels with the object
    let res = await post('/json', 'application/json', `{"name":"สมหญิง 😀","n":[1,{"b":null}],"deep":${nested}}`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { json: { name: string } }).json.name, 'สมหญิง 😀');
    res = await post('/json', 'application/json', '{"a":');
    assert.equal(res.status, 400);
    assert.doesNotMatch(await res.text(), /refused/, "the parser's own refusal");
  });
});

test('other bodies (multipart uploads) are not read by the edge', async () => {
  const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\0y\r\n--b--\r\n', 'latin1');
  const res = await post('/raw', 'multipart/form-data; boundary=b', body);
  assert.deepEqual(await res.json(), { raw: body.toString('latin1') }, 'their fields are checked by the multipart reader');
});
