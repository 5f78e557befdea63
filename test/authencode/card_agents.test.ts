// Card reader agents register themselves at the Authen Code service (POST /api/card-agents/register)
// with their own client-credentials token from the IdP: a lease of an hour, renewed by registering
// again; card reads count only while it runs (an operator's agent has no lease). Refused: another key
// than the token's agent_jkt, a private key, a hospital system's token, an agent revoked here; revoked
// at the IdP, the agent gets no new token, so its lease runs out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { dbTargets } from '../helpers/db.ts';
import { addClient } from '../helpers/server.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { agentKey, agentToken, cardReadDocument, pair, type AgentKey } from '../helpers/card_agent.ts';
import { mayProbe, registerUnitAgent, unitCardReadChallenge, verifyAgentCardRead } from '../../src/authencode/agents.ts';

const insecure = { execute: [oidc.allowInsecureRequests] };

for (const target of dbTargets()) {
  describe(`card reader agents at the Authen Code service on ${target.name}`, () => {
    let zone: Zone;
    let drop: () => Promise<void>;
    let audience: string;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      zone = await startZone(made.db);
      audience = zone.ac.config.apiAudience;
      await zone.idp.app().units.importFile(new URL('../../samples/units.csv', import.meta.url).pathname);
    });
    after(async () => {
      await zone.close();
      await drop();
    });

    /** An agent paired at the IdP through its pairing endpoint, with a code made for unit 10699. */
    async function pairedAgent(): Promise<{ id: string; key: AgentKey }> {
      const { code } = await zone.idp.app().cardAgents.createPairingCode({ hcode: '10699', by: 'test-unit-admin' });
      const key = await agentKey();
      const paired = await pair(zone.idp.url, { code, jwk: key.publicJwk, name: 'Front desk', version: '1.0.0' });
      assert.equal(paired.res.status, 201, JSON.stringify(paired.body));
      return { id: paired.body.agent_id!, key };
    }
    const register = (token: string, body: unknown, type = 'application/json') =>
      fetch(`${zone.ac.url}/api/card-agents/register`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const leaseOf = async (id: string) => (await zone.ac.db.query<{ lease_until: Date | null }>('SELECT lease_until FROM authencode.card_agents WHERE id = $1', [id])).rows[0]?.lease_until;
    const readAt = async (id: string, key: AgentKey) => {
      const at = { hcode: '10699', actor: 'test-staff' };
      return verifyAgentCardRead(zone.ac.db, await cardReadDocument(id, key, '10699', await unitCardReadChallenge(zone.ac.db, at)), at);
    };

    test("an agent registers with its own token and key: a lease of an hour, and its card reads count while it runs", async () => {
      const { id, key } = await pairedAgent();
      assert.deepEqual(await readAt(id, key), { ok: false, reason: 'unknown_agent' }, 'not known here before it registers');
      const token = await agentToken(zone.idp.url, id, key, audience);
      const res = await register(token, { jwk: key.publicJwk });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(Object.keys(body).sort(), ['agent_id', 'hcode', 'lease_until']);
      assert.equal(body.agent_id, id);
      assert.equal(body.hcode, '10699');
      assert.match(body.lease_until, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      const lease = (await leaseOf(id))!;
      assert.ok(Math.abs(lease.getTime() - Date.now() - 3600_000) < 60_000, 'an hour from now');
      assert.equal(new Date(body.lease_until).getTime(), Math.floor(lease.getTime() / 1000) * 1000);
      assert.equal((await readAt(id, key)).ok, true);

      // the lease runs out: its card reads are refused until it registers again
      await zone.ac.db.query("UPDATE authencode.card_agents SET lease_until = now() - interval '1 second' WHERE id = $1", [id]);
      assert.deepEqual(await readAt(id, key), { ok: false, reason: 'unknown_agent' });
      assert.equal((await register(token, { jwk: key.publicJwk })).status, 200, 'renewed');
      assert.ok((await leaseOf(id))!.getTime() > Date.now() + 3500_000);
      assert.equal((await readAt(id, key)).ok, true);
      const { rows } = await zone.ac.db.query("SELECT actor FROM authencode.audit_events WHERE action = 'agent.registered' AND detail->>'agent' = $1", [id]);
      assert.deepEqual(rows, [{ actor: `client:${id}` }], 'registered once; renewals are not events');
    });

    test("another key than the token's, a private key, a body that is not JSON are refused", async () => {
      const { id, key } = await pairedAgent();
      const token = await agentToken(zone.idp.url, id, key, audience);
      let res = await register(token, { jwk: (await agentKey()).publicJwk });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).errors[0].code, 'key_mismatch');
      const priv = await jose.exportJWK(key.privateKey);
      res = await register(token, { jwk: priv });
      assert.equal(res.status, 400);
      const refused = await res.json();
      assert.equal(refused.errors[0].code, 'invalid_field');
      assert.match(refused.message, /public key only/);
      res = await register(token, {});
      assert.equal(res.status, 400);
      res = await register(token, `jwk=${JSON.stringify(key.publicJwk)}`, 'application/x-www-form-urlencoded');
      assert.equal(res.status, 415);
      assert.equal(await leaseOf(id), undefined, 'nothing registered');
    });

    test("a hospital system's token (no agent_jkt) is refused, even under an agent-shaped client id", async () => {
      for (const clientId of ['his-10699-agents', 'agent-00112233445566ff']) {
        const his = await addClient(zone.idp, { client_id: clientId, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode: '10699' });
        const rp = await oidc.discovery(new URL(zone.idp.url), his.client_id, his.client_secret, undefined, insecure);
        const token = (await oidc.clientCredentialsGrant(rp, { resource: audience, scope: 'authencode' })).access_token;
        assert.equal(jose.decodeJwt(token).agent_jkt, undefined);
        const res = await register(token, { jwk: (await agentKey()).publicJwk });
        assert.equal(res.status, 403, clientId);
        assert.equal((await res.json()).errors[0].code, 'not_card_agent');
      }
    });

    test('revoked at the IdP: no new token, so the lease runs out; revoked here: registration refused', async () => {
      const { id, key } = await pairedAgent();
      assert.equal((await register(await agentToken(zone.idp.url, id, key, audience), { jwk: key.publicJwk })).status, 200);
      assert.equal(await zone.idp.app().cardAgents.revoke({ id, hcode: '10699', by: 'test-unit-admin' }), true);
      await assert.rejects(agentToken(zone.idp.url, id, key, audience), (err: oidc.ResponseBodyError) => err.error === 'invalid_client');
      await zone.ac.db.query("UPDATE authencode.card_agents SET lease_until = now() - interval '1 second' WHERE id = $1", [id]);
      assert.deepEqual(await readAt(id, key), { ok: false, reason: 'unknown_agent' });

      const other = await pairedAgent();
      const token = await agentToken(zone.idp.url, other.id, other.key, audience);
      assert.equal((await register(token, { jwk: other.key.publicJwk })).status, 200);
      await zone.ac.db.query('UPDATE authencode.card_agents SET revoked_at = now() WHERE id = $1', [other.id]);
      const res = await register(token, { jwk: other.key.publicJwk });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).errors[0].code, 'agent_revoked');
      assert.deepEqual(await readAt(other.id, other.key), { ok: false, reason: 'unknown_agent' });
    });

    test("an operator's agent (mpid authencode agent register) has no lease and its card reads count", async () => {
      const key = await agentKey();
      const id = await registerUnitAgent(zone.ac.db, { hcode: '10699', jwk: key.publicJwk, by: 'operator:somchai' });
      assert.equal(await leaseOf(id), null);
      assert.equal((await readAt(id, key)).ok, true);
    });

    test('outside the test zone the entitlement probe answers only a registered agent with a live lease, by its own token', async () => {
      const { id, key } = await pairedAgent();
      const jkt = await jose.calculateJwkThumbprint(key.publicJwk);
      const agent = { kind: 'his' as const, clientId: id, hcode: '10699', agentJkt: jkt };
      const production = { testZone: false };
      assert.equal(await mayProbe(zone.ac.db, agent, production), false, 'paired at the IdP but not registered here');
      assert.equal((await register(await agentToken(zone.idp.url, id, key, audience), { jwk: key.publicJwk })).status, 200);
      assert.equal(await mayProbe(zone.ac.db, agent, production), true);
      assert.equal(await mayProbe(zone.ac.db, { ...agent, hcode: '13836' }, production), false, 'at its own unit only');
      assert.equal(await mayProbe(zone.ac.db, { kind: 'his', clientId: id, hcode: '10699' }, production), false, 'a token without agent_jkt');
      assert.equal(await mayProbe(zone.ac.db, { kind: 'his', clientId: 'his-10699', hcode: '10699' }, production), false, 'a hospital system');
      assert.equal(await mayProbe(zone.ac.db, { kind: 'staff', sub: 'x', clientId: 'authencode', hcodes: ['10699'] }, production), false, 'staff');
      await zone.ac.db.query("UPDATE authencode.card_agents SET lease_until = now() - interval '1 second' WHERE id = $1", [id]);
      assert.equal(await mayProbe(zone.ac.db, agent, production), false, 'the lease ran out');
      assert.equal(await mayProbe(zone.ac.db, { kind: 'his', clientId: 'his-10699', hcode: '10699' }, { testZone: true }), true, 'the test zone answers anyone');
    });
  });
}
