// Issue 11, item 7 (IdP): failed client authentication at /token, introspection and revocation, and
// wrong initial access tokens at /reg, are limited per client address: then 429 with an OIDC error
// object and Retry-After, for every request of that address until the window ends. Successful
// authentications never count. Addresses come from X-Forwarded-For (TRUST_PROXY) so each test has its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer } from '../../helpers/server.ts';
import type { RunningServer } from '../../../src/idp/server.ts';

const REGISTRATION_TOKEN = 'initial-access-token-for-tests-0123456789';
const LIMIT = 5;

for (const target of dbTargets()) {
  describe(`client authentication limits on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let client: { client_id: string; client_secret?: string };

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db, { TRUST_PROXY: 'true', IDP_REGISTRATION_TOKEN: REGISTRATION_TOKEN, CLIENT_AUTH_FAILURES_PER_ADDRESS: String(LIMIT) });
      client = await addClient(server, { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid' });
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const basic = (secret: string) => `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`;
    const post = (from: string, path: string, body: Record<string, string>, authorization: string) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization, 'x-forwarded-for': from },
        body: new URLSearchParams(body).toString(),
      });
    const token = (from: string, secret: string) => post(from, '/token', { grant_type: 'client_credentials' }, basic(secret));
    const register = (from: string, bearer: string) =>
      fetch(`${server.url}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-forwarded-for': from },
        body: JSON.stringify({ redirect_uris: ['https://dyn.example.test/cb'] }),
      });

    async function assertLimited(res: Response) {
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
      const body = (await res.json()) as { error?: string; error_description?: string };
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description!, /too many .* from this address; retry after \d+ seconds/);
    }

    test('wrong client secrets at /token: 401 up to the limit, then 429 for that address, even with the right secret', async () => {
      for (let i = 0; i < LIMIT; i++) {
        const res = await token('203.0.113.1', `wrong ${i}`);
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
      }
      await assertLimited(await token('203.0.113.1', 'wrong again'));
      await assertLimited(await token('203.0.113.1', client.client_secret!));
      assert.equal((await token('203.0.113.99', client.client_secret!)).status, 200, 'another address is not limited');
    });

    test('failures at introspection and revocation count toward the same limit', async () => {
      for (const path of ['/token/introspection', '/token/introspection', '/token/revocation', '/token/revocation', '/token/introspection']) {
        assert.equal((await post('203.0.113.2', path, { token: 'whatever' }, basic('wrong'))).status, 401);
      }
      await assertLimited(await post('203.0.113.2', '/token/revocation', { token: 'whatever' }, basic(client.client_secret!)));
      await assertLimited(await token('203.0.113.2', client.client_secret!));
    });

    test('a burst of wrong secrets in parallel: afterwards the address is limited', async () => {
      const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => token('203.0.113.3', `burst ${i}`).then((r) => r.status)));
      assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(','));
      await assertLimited(await token('203.0.113.3', client.client_secret!));
    });

    test('wrong initial access tokens at /reg: 401 up to the limit, then 429, even with the right token', async () => {
      for (let i = 0; i < LIMIT; i++) assert.equal((await register('203.0.113.4', `nope-${i}`)).status, 401);
      await assertLimited(await register('203.0.113.4', REGISTRATION_TOKEN));
      assert.equal((await register('203.0.113.98', REGISTRATION_TOKEN)).status, 201, 'another address registers');
    });

    test('successful client authentications never count', async () => {
      for (let i = 0; i < 3 * LIMIT; i++) assert.equal((await token('203.0.113.5', client.client_secret!)).status, 200);
      for (let i = 0; i < LIMIT - 1; i++) assert.equal((await token('203.0.113.5', 'wrong')).status, 401);
      assert.equal((await token('203.0.113.5', client.client_secret!)).status, 200, 'one failure short of the limit');
    });
  });
}
