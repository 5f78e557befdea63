// Issue 11, item 4 (unknown methods): TRACE, PROPFIND and their kin answered 501 everywhere. Now a
// 405 with an Allow header naming what the path takes, on our pages and oidc-provider's alike.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startTestServer } from '../../helpers/server.ts';
import { rawRequest } from '../../helpers/raw_http.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const METHODS = ['TRACE', 'PROPFIND', 'MKCOL', 'PURGE', 'LOCK'];
let server: RunningServer;
before(async () => {
  server = await startTestServer(await openPglite());
});
after(async () => {
  await server.close();
  await server.db.close();
});

test('unknown methods get 405 with Allow and a message page, on every kind of path', async () => {
  for (const path of ['/', '/account', '/register', '/recover', '/verifier', '/admin', '/healthz', '/auth', '/token', '/session/end', '/.well-known/openid-configuration', '/nowhere']) {
    for (const method of METHODS) {
      const res = await rawRequest(server.url, method, path, { accept: 'text/html' });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.match(String(res.headers.allow), /^[A-Z]+(, [A-Z]+)*$/, `${method} ${path}: Allow`);
      assert.ok(!/\b(TRACE|PROPFIND|MKCOL|PURGE|LOCK)\b/.test(String(res.headers.allow)));
      assert.match(res.body, /role="alert"|<main/, `${method} ${path}: a message`);
      assert.ok(!/at \w+ \(|node_modules/.test(res.body), 'no stack trace');
    }
  }
});

test("Allow names the route's own methods; everyday methods are untouched", async () => {
  assert.deepEqual(String((await rawRequest(server.url, 'TRACE', '/register')).headers.allow).split(', ').sort(), ['GET', 'HEAD', 'POST']);
  assert.deepEqual(String((await rawRequest(server.url, 'PROPFIND', '/healthz')).headers.allow).split(', ').sort(), ['GET', 'HEAD']);
  const json = await rawRequest(server.url, 'TRACE', '/account', { accept: 'application/json' });
  assert.equal(json.status, 405);
  assert.equal(JSON.parse(json.body).error, 'invalid_request');
  assert.equal((await rawRequest(server.url, 'GET', '/healthz')).status, 200);
  assert.equal((await rawRequest(server.url, 'PUT', '/account')).status, 405, 'a known method a route does not take: 405 as before');
});
