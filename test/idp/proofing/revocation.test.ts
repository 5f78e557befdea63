// Revoking evidence: the IAL drops at once, the person's sessions end, and a relying party with a
// back-channel logout URI receives a logout token it can verify; the audit says who and why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { syntheticPeople } from '../../../src/kernel/registry/synthetic_population.ts';
import { approvedEvidence } from '../../../src/idp/proofing/evidence.ts';
import { accountIal } from '../../../src/idp/proofing/ial.ts';
import { revokeEvidenceAndLogOut } from '../../../src/idp/proofing/revocation.ts';
import { createRegisterCheck } from '../../../src/idp/proofing/methods/register_check/index.ts';
import { SyntheticPopulationRegister } from '../../../src/idp/proofing/population_register.ts';

const REDIRECT = 'https://rp.example.test/cb';
const citizen = [...syntheticPeople(50, 4)].find((p) => p.cardStatus === 'valid')!;
const birthdate = `${Number(citizen.birthdateBE.slice(0, 4)) - 543}-${citizen.birthdateBE.slice(4, 6)}-${citizen.birthdateBE.slice(6)}`;

for (const target of dbTargets()) {
  describe(`evidence revocation on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rpServer: http.Server;
    const logoutTokens: string[] = [];

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      rpServer = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
          res.statusCode = 200;
          res.end();
        });
      });
      await new Promise<void>((r) => rpServer.listen(0, '127.0.0.1', r));
    });
    after(async () => {
      await new Promise<void>((r) => rpServer.close(() => r()));
      await server.close();
      await drop();
    });

    test('IAL 1.2 → revoked: IAL 1.1, sessions ended, the relying party told by back-channel logout', async () => {
      const { accounts } = server.app();
      const { sub } = await accounts.create({ ...TEST_PERSON, pid: citizen.pid, given_name: citizen.givenName, family_name: citizen.familyName, birthdate, phone_verified: true });
      const register = new SyntheticPopulationRegister();
      register.people.set(citizen.pid, { givenName: citizen.givenName, familyName: citizen.familyName, birthdateBE: citizen.birthdateBE, laserCode: citizen.laserCode, cardStatus: 'valid' });
      assert.equal(await createRegisterCheck({ db: server.db, accounts, register }).check(sub, citizen.laserCode), 'verified');
      assert.equal(await accountIal(server.db, sub), '1.2');

      const logoutUri = `http://127.0.0.1:${(rpServer.address() as { port: number }).port}/backchannel`;
      const client = await addClient(server, { redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid', backchannel_logout_uri: logoutUri, backchannel_logout_session_required: true });
      const rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
      const person = new Person(server.url);
      await person.logInAndConsent(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's' }), citizen.pid, TEST_PERSON.password);

      const [evidence] = await approvedEvidence(server.db, sub);
      const result = await revokeEvidenceAndLogOut({ db: server.db, provider: server.app().provider }, evidence!.id, 'admin:fraud-desk', 'card reported stolen');
      assert.equal(result?.ialAfter, '1.1');
      assert.equal(await accountIal(server.db, sub), '1.1');
      // the effect, not the report: the person's IdP session is gone, so a new request must log in again
      const again = await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's2' }));
      assert.equal(again.external, undefined, 'no code for the relying party without a new login');
      assert.match(again.url, /\/interaction\//, 'the login page again');
      assert.equal(logoutTokens.length, 1);
      const jwks = jose.createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!));
      const { payload } = await jose.jwtVerify(logoutTokens[0]!, jwks, { issuer: server.url, audience: client.client_id });
      assert.equal(payload.sub, sub);
      assert.ok((payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']);
      assert.ok(payload.sid);
      const audit = await server.db.query<{ actor: string; action: string }>(`SELECT actor, action FROM audit_events WHERE subject = $1 AND action IN ('evidence.revoked', 'sessions.ended_by_revocation') ORDER BY seq`, [sub]);
      assert.deepEqual(audit.rows, [{ actor: 'admin:fraud-desk', action: 'evidence.revoked' }, { actor: 'admin:fraud-desk', action: 'sessions.ended_by_revocation' }]);
      assert.equal(await revokeEvidenceAndLogOut({ db: server.db, provider: server.app().provider }, evidence!.id, 'x', 'again'), undefined, 'revoked once');
    });
  });
}
