// Raising the IAL from the account pages over HTTP, then a relying party that asks min_ial=1.2: refused
// before (page + unmet_authentication_requirements), let through after, with ial "1.2" in the ID token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { printedLaserCode, syntheticPeople } from '../../../src/kernel/registry/synthetic_population.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };
// the test zone's synthetic register: 2000 people, seed 2569 (src/server.ts)
const citizen = [...syntheticPeople(2000, 2569)].find((p) => p.cardStatus === 'valid')!;
const birthdate = `${Number(citizen.birthdateBE.slice(0, 4)) - 543}-${citizen.birthdateBE.slice(4, 6)}-${citizen.birthdateBE.slice(6)}`;

for (const target of dbTargets()) {
  describe(`identity verification pages on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      await server.app().accounts.create({ ...TEST_PERSON, pid: citizen.pid, given_name: citizen.givenName, family_name: citizen.familyName, birthdate, phone_verified: true });
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid' });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    const claimsWithIal = JSON.stringify({
      id_token: { ial: null, verified_claims: { verification: { trust_framework: null, evidence: null }, claims: { given_name: null, birthdate: null, pid: null } } },
    });
    const authUrl = (params: Record<string, string>) => oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', claims: claimsWithIal, ...params });

    test('IAL 1.1 → the register check with the laser code → IAL 1.2, and min_ial=1.2 is met', async () => {
      const person = new Person(server.url);
      let page = await person.follow(authUrl({ min_ial: '1.2' }));
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: citizen.pid, password: TEST_PERSON.password });
      assert.match(page.body, /IAL\)? 1\.2/, 'the person is told which level is needed');
      const refused = await person.submit(Person.action(page.body, '/unmet'), { csrf: Person.csrf(page.body) });
      assert.equal(new URL(refused.external!).searchParams.get('error'), 'unmet_authentication_requirements');

      page = await person.follow('/account/verify');
      if (/name="password"/.test(page.body)) page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: citizen.pid, password: TEST_PERSON.password });
      assert.match(page.body, /IAL 1\.1/);
      page = await person.submit('/account/verify/register', { csrf: Person.csrf(page.body), laser_code: 'XX0-0000000-00' });
      assert.equal(page.res.status, 400);
      assert.match(page.body, /role="alert"/);
      page = await person.submit('/account/verify/register', { csrf: Person.csrf(page.body), laser_code: printedLaserCode(citizen.laserCode) });
      assert.equal(page.res.status, 200);
      assert.match(page.body, /IAL 1\.2/);

      let back = await person.follow(authUrl({ min_ial: '1.2' }));
      if (!back.external) back = await person.submit(Person.action(back.body, '/confirm'), { csrf: Person.csrf(back.body) });
      const tokens = await oidc.authorizationCodeGrant(rp, new URL(back.external!), { expectedState: 's', idTokenExpected: true });
      const claims = tokens.claims()!;
      assert.equal(claims.ial, '1.2');
      const verified = claims.verified_claims as { verification: { trust_framework: string; assurance_level: string; evidence: Array<{ type: string }> }; claims: Record<string, string> };
      assert.equal(verified.verification.trust_framework, 'th_etda_digital_id');
      assert.equal(verified.verification.assurance_level, '1.2');
      assert.deepEqual(verified.verification.evidence.map((e) => e.type), ['electronic_record']);
      assert.deepEqual(verified.claims, { given_name: citizen.givenName, birthdate }, 'only the requested verified claims; no pid for a client not allowed it');
    });

    test('discovery advertises identity assurance; an account without proofing evidence gets no verified_claims', async () => {
      const m = rp.serverMetadata() as Record<string, unknown>;
      assert.equal(m.verified_claims_supported, true);
      assert.deepEqual(m.trust_frameworks_supported, ['th_etda_digital_id']);
      assert.ok((m.claims_supported as string[]).includes('verified_claims'));
      const person = new Person(server.url);
      await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
      let page = await person.follow(authUrl({}));
      page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
      if (!page.external) page = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
      const claims = (await oidc.authorizationCodeGrant(rp, new URL(page.external!), { expectedState: 's', idTokenExpected: true })).claims()!;
      assert.equal(claims.ial, '1.1');
      assert.equal(claims.verified_claims, undefined);
    });
  });
}
