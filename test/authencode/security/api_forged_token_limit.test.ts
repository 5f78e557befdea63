// Issue 11, item 7 (Authen Code API): forged, malformed or missing bearer tokens are limited per client
// address: after AUTHENCODE_API_TOKEN_FAILURES refusals, 429 with Retry-After for every request of that
// address (a valid token included) until the window ends; valid tokens never count. Addresses come from
// X-Forwarded-For (TRUST_PROXY) so each test has its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient } from '../../helpers/server.ts';
import { startZone, type Zone } from '../../helpers/authencode.ts';

const insecure = { execute: [oidc.allowInsecureRequests] };
const LIMIT = 5;
const FORGED = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const PID = '1234567890121';

for (const target of dbTargets()) {
  describe(`refused API tokens on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let zone: Zone;
    let his: string;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      zone = await startZone(created.db, { TRUST_PROXY: 'true', AUTHENCODE_API_TOKEN_FAILURES: String(LIMIT) });
      const c = await addClient(zone.idp, { client_id: 'his-x', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode: '10699' });
      const rp = await oidc.discovery(new URL(zone.idp.url), c.client_id, c.client_secret, undefined, insecure);
      his = (await oidc.clientCredentialsGrant(rp, { resource: zone.ac.config.apiAudience, scope: 'authencode' })).access_token;
    });
    after(async () => {
      await zone.close();
      await drop();
    });

    const call = (from: string, token?: string) =>
      fetch(`${zone.ac.url}/api/nhso-service/latest-5-authen-code-all-hospital/${PID}`, { headers: { 'x-forwarded-for': from, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } });
    async function assertLimited(res: Response) {
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
      const body = await res.json();
      assert.equal(body.errors[0].code, 'too_many_token_failures');
      assert.match(body.errors[0].defaultMessage, /retry after \d+ seconds/);
    }

    test('forged tokens: 401 up to the limit, then 429 for that address, even with a valid token', async () => {
      for (let i = 0; i < LIMIT; i++) assert.equal((await call('198.51.100.1', FORGED)).status, 401);
      await assertLimited(await call('198.51.100.1', FORGED));
      await assertLimited(await call('198.51.100.1', his));
      assert.equal((await call('198.51.100.99', his)).status, 200, 'another address is not limited');
    });

    test('malformed and missing tokens count too', async () => {
      for (const token of ['not-a-jwt', undefined, 'a.b.c', undefined, 'not-a-jwt']) assert.equal((await call('198.51.100.2', token)).status, 401);
      await assertLimited(await call('198.51.100.2', his));
    });

    test('a burst of forged tokens in parallel: afterwards the address is limited', async () => {
      const statuses = await Promise.all(Array.from({ length: 30 }, () => call('198.51.100.3', FORGED).then((r) => r.status)));
      assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(','));
      await assertLimited(await call('198.51.100.3', his));
    });

    test('valid tokens never count', async () => {
      for (let i = 0; i < 3 * LIMIT; i++) assert.equal((await call('198.51.100.4', his)).status, 200);
      for (let i = 0; i < LIMIT - 1; i++) assert.equal((await call('198.51.100.4', FORGED)).status, 401);
      assert.equal((await call('198.51.100.4', his)).status, 200, 'one refusal short of the limit');
    });
  });
}
