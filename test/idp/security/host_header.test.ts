// Issue 11, item 5: `curl -H 'Host: evil.example' /session/end` answered a logout form posting to
// http://evil.example/session/end/confirm. Every absolute URL the IdP emits comes from the configured
// issuer, never from the request's Host (or X-Forwarded-Host) header.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startTestServer } from '../../helpers/server.ts';
import { rawRequest } from '../../helpers/raw_http.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const FOREIGN = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
let server: RunningServer;
before(async () => {
  server = await startTestServer(await openPglite());
});
after(async () => {
  await server.close();
  await server.db.close();
});

test('the logout form posts to the issuer whatever Host the request names', async () => {
  const res = await rawRequest(server.url, 'GET', '/session/end', FOREIGN);
  assert.equal(res.status, 200);
  const actions = [...res.body.matchAll(/action="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(actions, [`${server.config.issuer}/session/end/confirm`]);
  assert.ok(!res.body.includes('evil.example'), 'the foreign host appears nowhere on the page');
});

test('discovery and the way to the login page name only the issuer', async () => {
  const discovery = await rawRequest(server.url, 'GET', '/.well-known/openid-configuration', FOREIGN);
  assert.equal(discovery.status, 200);
  assert.ok(!discovery.body.includes('evil.example'), discovery.body.slice(0, 300));
  const meta = JSON.parse(discovery.body) as Record<string, unknown>;
  for (const key of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint']) {
    assert.ok(String(meta[key]).startsWith(`${server.config.issuer}/`), `${key}: ${meta[key]}`);
  }

  // a login the person then walks through: no Location or page names the foreign host
  let res = await rawRequest(server.url, 'GET', '/account/login', FOREIGN);
  const cookies: string[] = [];
  for (let i = 0; i < 5 && res.status >= 300 && res.status < 400; i++) {
    const location = String(res.headers.location);
    assert.ok(!location.includes('evil.example'), location);
    cookies.push(...(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!));
    res = await rawRequest(server.url, 'GET', new URL(location, server.url).pathname + new URL(location, server.url).search, { ...FOREIGN, cookie: cookies.join('; ') });
  }
  assert.equal(res.status, 200, 'at the login page');
  assert.match(res.body, /name="pid"/);
  assert.ok(!res.body.includes('evil.example'));
});
