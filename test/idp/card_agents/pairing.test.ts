// Pairing card reader agents over HTTP: a unit administrator creates a one-time code on /verifier/unit,
// the agent posts it with its public key to /api/card-agents/pair and becomes a card agent of the unit
// and an OIDC client (private_key_jwt) whose client-credentials tokens carry hcode and agent_jkt.
// Refused: wrong, expired and used codes (a code is used once, even by two agents at once), private
// keys, too many refusals from one address; revoked agents get no tokens and their card reads fail;
// another unit's administrator cannot revoke. `mpid agent register` makes the same agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit, startTestServer, testDirs, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { logInThrough } from '../../helpers/login_walk.ts';
import { agentKey, agentToken, cardReadDocument, pair } from '../../helpers/card_agent.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { addResourceServer } from '../../../src/idp/oidc/resource_servers.ts';
import { cardReadChallengeAt, verifyCardReadAt } from '../../../src/idp/proofing/card_agents.ts';
import { formatDateTime } from '../../../src/kernel/thai/time.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const UNITS = path.join(root, 'samples/units.csv');
const AUDIENCE = 'https://authencode.example.test/api';
const HEAD = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000001'), phone_number: '0867770001', phone_verified: true };
const OTHER_HEAD = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000002'), phone_number: '0867770002', phone_verified: true };
const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000003'), phone_number: '0867770003' };

for (const target of dbTargets()) {
  describe(`card reader agent pairing on ${target.name}`, () => {
    let server: RunningServer;
    let url: string;
    let dbUrl: string | undefined;
    let drop: () => Promise<void>;
    let headSub: string;
    let shift = 0;
    const head = { person: undefined as unknown as Person, page: '' };
    const other = { person: undefined as unknown as Person, page: '' };

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      dbUrl = made.url;
      server = await startTestServer(made.db, { TRUST_PROXY: 'true', CARD_AGENT_PAIR_FAILURES_PER_ADDRESS: '3' }, undefined, () => Date.now() + shift);
      url = server.url;
      const { accounts, units } = server.app();
      await units.importFile(UNITS);
      headSub = (await accounts.create(HEAD)).sub;
      const otherSub = (await accounts.create(OTHER_HEAD)).sub;
      const admin = (await accounts.create(ADMIN)).sub;
      await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
      await units.grant({ sub: headSub, role: 'unit_admin', hcode: '10699', by: admin, reason: 'director of 10699' });
      await units.grant({ sub: otherSub, role: 'unit_admin', hcode: '13836', by: admin, reason: 'director of 13836' });
      await addResourceServer(server.db, { identifier: AUDIENCE, scope: 'authencode' });
      for (const [who, as] of [[head, HEAD], [other, OTHER_HEAD]] as const) {
        who.person = new Person(url);
        who.page = await logInThrough(who.person, url, `${url}/verifier/unit`, as, `${url}/verifier/unit`);
      }
    });
    after(async () => {
      await server.close();
      await drop();
    });

    /** A form on the unit page, as the administrator sends it (with the page's CSRF token). */
    async function unitForm(who: typeof head, action: string, fields: Record<string, string> = {}) {
      const page = await who.person.submit(action, { csrf: Person.csrf(who.page), ...fields });
      if (page.body.includes('name="csrf"')) who.page = page.body;
      return page;
    }
    /** A card read by the agent over a verifier's challenge at 10699, presented by that verifier. */
    async function readAt(id: string, key: Awaited<ReturnType<typeof agentKey>>) {
      const at = { hcode: '10699', actor: 'test-verifier' };
      return verifyCardReadAt(server.db, await cardReadDocument(id, key, '10699', await cardReadChallengeAt(server.db, at)), at);
    }
    async function newCode(): Promise<string> {
      const page = await unitForm(head, '/verifier/unit/agents/pairing-code', { unit: '10699' });
      assert.equal(page.res.status, 200, page.body.slice(0, 300));
      return page.body.match(/id="pairing-code">([A-Z2-9]{4}-[A-Z2-9]{4})</)![1]!;
    }
    const agentRow = async (id: string) =>
      (await server.db.query<{ hcode: string; name: string; version: string; registered_by: string; revoked_at: Date | null; last_seen_at: Date | null }>('SELECT hcode, name, version, registered_by, revoked_at, last_seen_at FROM card_agents WHERE id = $1', [id])).rows[0];
    const auditOf = async (action: string, agent: string) =>
      (await server.db.query<{ actor: string; detail: Record<string, unknown> }>(`SELECT actor, detail FROM audit_events WHERE action = $1 AND detail->>'agent' = $2`, [action, agent])).rows;

    test('a code from the unit page pairs an agent: a card agent of the unit and a client whose tokens carry hcode and agent_jkt', async () => {
      const code = await newCode();
      assert.match(head.page, /role="status"/);
      const { rows } = await server.db.query<{ code_hash: Buffer; expires_at: Date; created_by: string }>('SELECT code_hash, expires_at, created_by FROM card_agent_pairing_codes ORDER BY created_at DESC LIMIT 1');
      const stored = rows[0]!;
      assert.equal(stored.created_by, headSub);
      assert.ok(!stored.code_hash.includes(Buffer.from(code.replace('-', ''))), 'the code is stored hashed');
      assert.ok(Math.abs(stored.expires_at.getTime() - (Date.now() + shift) - 600_000) < 30_000, 'it lives 10 minutes');
      assert.ok(head.page.includes(formatDateTime(stored.expires_at, 'th')), 'its expiry is shown in Bangkok time, Buddhist era');
      const again = await head.person.follow('/verifier/unit');
      assert.ok(!again.body.includes(code), 'the code is shown once');

      const key = await agentKey();
      const paired = await pair(url, { code: code.toLowerCase(), jwk: { ...key.publicJwk, kid: 'k1' }, name: 'Front desk 1', version: '1.0.0' });
      assert.equal(paired.res.status, 201, JSON.stringify(paired.body));
      assert.match(paired.body.agent_id!, /^agent-[0-9a-f]{16}$/);
      assert.deepEqual({ ...paired.body, agent_id: undefined }, { agent_id: undefined, hcode: '10699', unit_name: 'โรงพยาบาลสมเด็จพระยุพราชสระแก้ว', issuer: url, token_endpoint: `${url}/token` });
      const id = paired.body.agent_id!;
      const row = await agentRow(id);
      assert.deepEqual({ hcode: row!.hcode, name: row!.name, version: row!.version, by: row!.registered_by }, { hcode: '10699', name: 'Front desk 1', version: '1.0.0', by: headSub });
      const client = await server.app().provider.Client.find(id);
      assert.equal(client?.tokenEndpointAuthMethod, 'private_key_jwt');
      assert.deepEqual(client?.grantTypes, ['client_credentials']);
      assert.equal(client?.metadata().hcode, '10699');
      assert.equal((await auditOf('agent.paired', id)).length, 1);

      const token = await agentToken(url, id, key, AUDIENCE);
      const claims = jose.decodeJwt(token);
      assert.equal(claims.client_id, id);
      assert.equal(claims.hcode, '10699');
      assert.equal(claims.agent_jkt, await jose.calculateJwkThumbprint(key.publicJwk));
      assert.equal(claims.aud, AUDIENCE);
      assert.ok((await agentRow(id))!.last_seen_at, 'a token is a sign of life');

      const listed = await head.person.follow('/verifier/unit');
      assert.match(listed.body, /Front desk 1/);
      assert.match(listed.body, new RegExp(id));
      assert.match(listed.body, /1\.0\.0/);
      const used = await pair(url, { code, jwk: (await agentKey()).publicJwk, name: 'Front desk 2', version: '1.0.0' });
      assert.equal(used.res.status, 400);
      assert.equal(used.body.error, 'invalid_grant');
    });

    test('an Ed25519 key pairs too, and its client authenticates with EdDSA', async () => {
      const key = await agentKey('EdDSA');
      const paired = await pair(url, { code: await newCode(), jwk: key.publicJwk, name: 'Ward 3', version: '1.0.0' }, '198.51.100.2');
      assert.equal(paired.res.status, 201, JSON.stringify(paired.body));
      const claims = jose.decodeJwt(await agentToken(url, paired.body.agent_id!, key, AUDIENCE));
      assert.equal(claims.agent_jkt, await jose.calculateJwkThumbprint(key.publicJwk));
    });

    test('wrong, malformed, expired and used codes, private keys and bad bodies are refused; a refusal leaves the code usable', async () => {
      const from = '198.51.100.3';
      const key = await agentKey();
      const body = (over: Record<string, unknown>) => ({ code: 'ABCD-EFGH', jwk: key.publicJwk, name: 'Desk', version: '1.0.0', ...over });
      const code = await newCode();
      const cases: Array<[unknown, number, string, RegExp?]> = [
        [body({}), 400, 'invalid_grant', /wrong, has expired or was already used/],
        [body({ code: '0O1I-LLLL' }), 400, 'invalid_grant'],
        [body({ code, jwk: { ...(await jose.exportJWK((await jose.generateKeyPair('ES256', { extractable: true })).privateKey)) } }), 400, 'invalid_request', /public key only/],
        [body({ code, jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }), 400, 'invalid_request', /P-256 or OKP Ed25519/],
        [body({ code, jwk: { ...key.publicJwk, y: Buffer.alloc(32, 7).toString('base64url') } }), 400, 'invalid_request', /not a usable key/],
        [body({ code, name: '' }), 400, 'invalid_request', /name/],
        [body({ code, name: 'x'.repeat(81) }), 400, 'invalid_request', /at most 80/],
        [body({ code, version: undefined }), 400, 'invalid_request', /version/],
        [[1, 2], 400, 'invalid_request', /JSON object/],
        ['{"code": ', 400, 'invalid_request'],
      ];
      // each refusal counts against its address: these come from addresses of their own
      for (const [i, [b, status, error, description]] of cases.entries()) {
        const r = await pair(url, b, `192.0.2.${10 + i}`);
        assert.equal(r.res.status, status, `case ${i}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error, error, `case ${i}`);
        if (description) assert.match(r.body.error_description!, description, `case ${i}`);
        assert.equal(r.res.headers.get('cache-control'), 'no-store');
      }
      const form = await fetch(`${url}/api/card-agents/pair`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.40' }, body: `code=${code}` });
      assert.equal(form.status, 415);
      assert.equal((await form.json()).error, 'invalid_request');

      const ok = await pair(url, body({ code }), from);
      assert.equal(ok.res.status, 201, 'the refusals did not use the code up');

      const late = await newCode();
      shift += 601_000;
      const expired = await pair(url, body({ code: late }), '192.0.2.41');
      assert.equal(expired.res.status, 400);
      assert.equal(expired.body.error, 'invalid_grant');
    });

    test('two agents pairing with one code at once: one is paired, the other refused', async () => {
      const code = await newCode();
      const keys = await Promise.all([agentKey(), agentKey()]);
      const results = await Promise.all(keys.map((k, i) => pair(url, { code, jwk: k.publicJwk, name: `Twin ${i}`, version: '1.0.0' }, `198.51.100.${20 + i}`)));
      assert.deepEqual(results.map((r) => r.res.status).sort(), [201, 400]);
      assert.equal(results.find((r) => r.res.status === 400)!.body.error, 'invalid_grant');
      const { rows } = await server.db.query("SELECT id FROM card_agents WHERE name LIKE 'Twin %'");
      assert.equal(rows.length, 1);
    });

    test('refusals from one address are limited (429, Retry-After); another address still pairs', async () => {
      const from = '203.0.113.7';
      for (let i = 0; i < 3; i++) assert.equal((await pair(url, { code: 'WXYZ-2345', jwk: (await agentKey()).publicJwk, name: 'Guess', version: '1' }, from)).res.status, 400);
      const code = await newCode();
      const key = await agentKey();
      const blocked = await pair(url, { code, jwk: key.publicJwk, name: 'Desk', version: '1' }, from);
      assert.equal(blocked.res.status, 429);
      assert.ok(Number(blocked.res.headers.get('retry-after')) > 0);
      assert.match(blocked.body.error_description!, /too many refused pairings/);
      const elsewhere = await pair(url, { code, jwk: key.publicJwk, name: 'Desk', version: '1' }, '203.0.113.8');
      assert.equal(elsewhere.res.status, 201, 'the blocked attempt did not use the code');
    });

    test('revoking, confirmed and with CSRF, stops the agent at once: no token, no card read', async () => {
      const key = await agentKey();
      const id = (await pair(url, { code: await newCode(), jwk: key.publicJwk, name: 'To revoke', version: '1.0.0' }, '198.51.100.30')).body.agent_id!;
      await agentToken(url, id, key, AUDIENCE);
      const read = await readAt(id, key);
      assert.equal(read.ok, true);

      const noCsrf = await head.person.submit('/verifier/unit/agents/revoke', { unit: '10699', agent: id, confirm: 'yes' });
      assert.equal(noCsrf.res.status, 403);
      const unconfirmed = await unitForm(head, '/verifier/unit/agents/revoke', { unit: '10699', agent: id });
      assert.equal(unconfirmed.res.status, 400);
      assert.match(unconfirmed.body, /กรุณาทำเครื่องหมายยืนยัน/);
      assert.equal((await agentRow(id))!.revoked_at, null);

      const revoked = await unitForm(head, '/verifier/unit/agents/revoke', { unit: '10699', agent: id, confirm: 'yes' });
      assert.equal(revoked.res.status, 200);
      assert.match(revoked.body, /เพิกถอนเครื่องอ่านบัตรแล้ว/);
      assert.ok((await agentRow(id))!.revoked_at);
      assert.equal((await auditOf('agent.revoked', id))[0]!.actor, headSub);
      await assert.rejects(agentToken(url, id, key, AUDIENCE), (err: oidc.ResponseBodyError) => err.error === 'invalid_client');
      const after = await readAt(id, key);
      assert.deepEqual(after, { ok: false, reason: 'unknown_agent' });
      const again = await unitForm(head, '/verifier/unit/agents/revoke', { unit: '10699', agent: id, confirm: 'yes' });
      assert.equal(again.res.status, 404);
    });

    test("another unit's administrator cannot revoke the agent", async () => {
      const key = await agentKey();
      const id = (await pair(url, { code: await newCode(), jwk: key.publicJwk, name: 'Not yours', version: '1.0.0' }, '198.51.100.31')).body.agent_id!;
      const page = await other.person.follow('/verifier/unit');
      assert.ok(!page.body.includes(id), "another unit's page does not list it");
      for (const unit of ['10699', '13836']) {
        const r = await unitForm(other, '/verifier/unit/agents/revoke', { unit, agent: id, confirm: 'yes' });
        assert.equal(r.res.status, 404, unit);
      }
      assert.equal((await agentRow(id))!.revoked_at, null);
      await agentToken(url, id, key, AUDIENCE);
    });

    if (target.name === 'postgres') {
      test('mpid agent register makes the same agent: a card agent and a client with agent_jkt in its tokens', async () => {
        const key = await agentKey();
        const r = spawnSync(process.execPath, [path.join(root, 'bin/mpid'), 'agent', 'register'], {
          env: { ...process.env, ...testDirs(), DATABASE_URL: dbUrl!, ISSUER: url, LOG_LEVEL: 'silent' },
          input: JSON.stringify({ hcode: '10699', jwk: key.publicJwk, operator: 'somchai', name: 'Scripted' }),
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.match(out.id, /^agent-[0-9a-f]{16}$/);
        assert.deepEqual(out, { id: out.id, client_id: out.id, hcode: '10699', issuer: url, token_endpoint: `${url}/token` });
        assert.equal((await agentRow(out.id))!.registered_by, 'operator:somchai');
        const claims = jose.decodeJwt(await agentToken(url, out.id, key, AUDIENCE));
        assert.equal(claims.agent_jkt, await jose.calculateJwkThumbprint(key.publicJwk));
        const bad = spawnSync(process.execPath, [path.join(root, 'bin/mpid'), 'agent', 'register'], {
          env: { ...process.env, ...testDirs(), DATABASE_URL: dbUrl!, LOG_LEVEL: 'silent' },
          input: JSON.stringify({ hcode: '10699', jwk: { ...key.publicJwk, d: 'AAAA' }, operator: 'somchai' }),
          encoding: 'utf8',
        });
        assert.equal(bad.status, 1);
        assert.match(bad.stderr, /public key only/);
      });

      test('mpid agent pairing-code gives an operator the code a unit administrator would: it pairs once; an unknown unit is refused', async () => {
        const mpid = (input: unknown) =>
          spawnSync(process.execPath, [path.join(root, 'bin/mpid'), 'agent', 'pairing-code'], {
            // the server's data directory: the same keyed hash of the code
            env: { ...process.env, DATA_DIR: server.config.dataDir, KEYS_DIR: server.config.keysDir, DATABASE_URL: dbUrl!, ISSUER: url, LOG_LEVEL: 'silent' },
            input: JSON.stringify(input),
            encoding: 'utf8',
          });
        const r = mpid({ hcode: '10699', operator: 'somchai' });
        assert.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        assert.match(out.code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
        assert.equal(out.hcode, '10699');
        assert.ok(Math.abs(new Date(out.expires_at).getTime() - Date.now() - 600_000) < 60_000, 'ten minutes');
        shift = 0; // the code was made on the real clock; this server's stands later since the expiry test
        const key = await agentKey();
        const paired = await pair(url, { code: out.code, jwk: key.publicJwk, name: 'Scripted', version: '1' }, '198.51.100.40');
        assert.equal(paired.res.status, 201, JSON.stringify(paired.body));
        assert.equal(paired.body.hcode, '10699');
        assert.equal((await pair(url, { code: out.code, jwk: (await agentKey()).publicJwk, name: 'Again', version: '1' }, '198.51.100.40')).res.status, 400, 'one use');
        const unknown = mpid({ hcode: '99999', operator: 'somchai' });
        assert.equal(unknown.status, 1);
        assert.match(unknown.stderr, /unknown unit 99999/);
      });
    }
  });
}
