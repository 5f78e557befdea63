// Issue 11, item 5 at the Authen Code service: absolute URLs (the login redirect to the IdP and its
// redirect_uri, the QR links, the API description) come from configuration, never from the request's
// Host or X-Forwarded-Host header.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';
import { rawRequest } from '../../helpers/raw_http.ts';

const FOREIGN = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

describe('the Authen Code service ignores a foreign Host header', () => {
  let zone: Zone;
  before(async () => {
    zone = await startZone(await openPglite());
  });
  after(async () => {
    await zone.close();
    await zone.idp.db.close();
  });

  it('no Location, page or API description names the foreign host', async () => {
    for (const path of ['/', '/visit', '/login?as=citizen', '/login?as=staff', '/staff', '/api/openapi.json', '/q/not-a-token', '/nowhere']) {
      const res = await rawRequest(zone.ac.url, 'GET', path, FOREIGN);
      assert.ok(res.status < 500, `${path}: ${res.status}`);
      assert.ok(!String(res.headers.location ?? '').includes('evil.example'), `${path} → ${res.headers.location}`);
      assert.ok(!res.body.includes('evil.example'), `${path}: the body names the foreign host`);
    }
    const login = await rawRequest(zone.ac.url, 'GET', '/login?as=citizen', FOREIGN);
    const to = new URL(String(login.headers.location));
    assert.equal(to.origin, new URL(zone.idp.url).origin, 'the IdP from configuration');
    assert.equal(to.searchParams.get('redirect_uri'), `${zone.ac.config.url}/auth/callback`);
  });
});
