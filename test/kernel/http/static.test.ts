// Static files over real HTTP: served from the table only, with their type; a fingerprinted request
// (?v= the file's hash) is cached for a year and immutable, any other for an hour; the stylesheet's
// font URLs are fingerprinted, so the fonts it names are cached for a year too; a repeat is a 304.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { assetTable, IMMUTABLE, SHORT, staticFiles } from '../../../src/kernel/http/static.ts';
import { assetUrl, FONT_FILES, kernelAssets } from '../../../src/kernel/web/assets.ts';

describe('static files', () => {
  let server: Server;
  let base: string;
  const files = assetTable({ 'own.js': Buffer.from('console.log(1)\n') });
  before(async () => {
    const app = new Koa();
    app.use(staticFiles(files));
    app.use((ctx) => {
      ctx.body = 'next';
    });
    server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test('a fingerprinted URL is immutable for a year; the bare name or an old hash is cached for an hour', async () => {
    const fresh = await fetch(`${base}${assetUrl('own.js', files)}`);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.get('cache-control'), IMMUTABLE);
    assert.equal(IMMUTABLE, 'public, max-age=31536000, immutable');
    assert.equal(fresh.headers.get('content-type'), 'application/javascript; charset=utf-8');
    assert.equal(await fresh.text(), 'console.log(1)\n');
    assert.equal((await fetch(`${base}/static/own.js`)).headers.get('cache-control'), SHORT);
    assert.equal((await fetch(`${base}/static/own.js?v=000000000000`)).headers.get('cache-control'), SHORT);
  });

  test('the stylesheet names the fonts by fingerprinted URL; each is woff2, immutable, with font-display: swap', async () => {
    const res = await fetch(`${base}${assetUrl('app.css', files)}`);
    assert.equal(res.headers.get('content-type'), 'text/css; charset=utf-8');
    const css = await res.text();
    assert.equal(FONT_FILES.length, 6, 'Thai and Latin, 400, 600 and 700');
    for (const name of FONT_FILES) {
      const url = assetUrl(name, files);
      assert.ok(css.includes(`url("${url}")`), `app.css names ${url}`);
      const font = await fetch(`${base}${url}`);
      assert.equal(font.status, 200, name);
      assert.equal(font.headers.get('content-type'), 'font/woff2');
      assert.equal(font.headers.get('cache-control'), IMMUTABLE);
      assert.equal(Buffer.from(await font.arrayBuffer()).subarray(0, 4).toString('latin1'), 'wOF2', `${name} is a woff2 file`);
    }
    assert.equal(css.match(/@font-face/g)?.length, 6);
    assert.equal(css.match(/font-display: swap/g)?.length, 6);
    assert.match(css, /font-family: "Sarabun", system-ui, sans-serif/);
  });

  test('the logo and the favicon are SVG images', async () => {
    for (const name of ['logo.svg', 'favicon.svg']) {
      const res = await fetch(`${base}${assetUrl(name)}`);
      assert.equal(res.headers.get('content-type'), 'image/svg+xml', name);
      assert.match(await res.text(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
  });

  test('a repeat with the ETag is a 304; unknown names, other methods and other paths go on to the next middleware', async () => {
    const first = await fetch(`${base}/static/frame.js`);
    const again = await fetch(`${base}/static/frame.js`, {
      // fetch adds "Cache-Control: no-cache" to a conditional request unless it is given one
      headers: { 'if-none-match': first.headers.get('etag')!, 'cache-control': 'max-age=0' },
    });
    assert.equal(again.status, 304);
    for (const path of ['/static/nope.js', '/static/%61pp.css', '/static/', '/app.css'])
      assert.equal(await (await fetch(`${base}${path}`)).text(), 'next', path);
    assert.equal(await (await fetch(`${base}/static/frame.js`, { method: 'POST' })).text(), 'next');
  });

  test("the kernel's table holds the frame's files, and a service's table adds its own", () => {
    for (const name of ['app.css', 'frame.js', 'card-read.js', 'logo.svg', 'favicon.svg', ...FONT_FILES]) assert.ok(kernelAssets.has(name), name);
    assert.ok(files.has('own.js') && !kernelAssets.has('own.js'));
    assert.match(assetUrl('app.css'), /^\/static\/app\.css\?v=[0-9a-f]{12}$/);
    assert.equal(assetUrl('not-there.js'), '/static/not-there.js');
  });
});
