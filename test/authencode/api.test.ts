// The agent-compatible API through the IdP: real tokens (a hospital system's client credentials, a
// staff member's login through a relying party), every refusal a clear 4xx in the agent's error shape.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { dbTargets } from '../helpers/db.ts';
import { addClient, pidWithCheckDigit, TEST_PERSON } from '../helpers/server.ts';
import { Person } from '../helpers/person.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { addResourceServer } from '../../src/idp/oidc/resource_servers.ts';
import { readKeyring, signingJwks } from '../../src/idp/oidc/keys.ts';

const insecure = { execute: [oidc.allowInsecureRequests] };
const fixture = (name: string) => path.resolve(import.meta.dirname, '../../samples', name);
let serial = 0;
const newPid = () => pidWithCheckDigit(`17${String(Date.now() % 1e7).padStart(7, '0')}${String(serial++ % 1000).padStart(3, '0')}`);

for (const target of dbTargets()) {
  describe(`Authen Code API on ${target.name}`, () => {
    let drop: () => Promise<void>;
    let zone: Zone;
    let api: string;
    let his: string;
    let staff: string;
    let noUnit: string;
    let otherAudience: string;
    let notGranted: string;

    const call = (p: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${api}${p}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    const visit = (over: Record<string, unknown> = {}) => ({ pid: newPid(), claimType: 'PG0060001', mobile: '0812345678', ...over });

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      zone = await startZone(created.db);
      const { idp, ac } = zone;
      api = ac.url;
      const audience = ac.config.apiAudience;
      const { accounts, personnel, units } = idp.app();
      await units.importFile(fixture('units.csv'));
      await personnel.importFile(fixture('personnel.csv'));
      const doctor = await accounts.create({ ...TEST_PERSON, phone_verified: true });
      await personnel.link((await accounts.findBySub(doctor.sub))!);

      const hisClient = await addClient(idp, { client_id: 'his-10699', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid', hcode: '10699' });
      const hisRp = await oidc.discovery(new URL(idp.url), hisClient.client_id, hisClient.client_secret, undefined, insecure);
      his = (await oidc.clientCredentialsGrant(hisRp, { resource: audience, scope: 'authencode' })).access_token;
      const plain = await addClient(idp, { client_id: 'no-unit', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid' });
      const plainRp = await oidc.discovery(new URL(idp.url), plain.client_id, plain.client_secret, undefined, insecure);
      noUnit = (await oidc.clientCredentialsGrant(plainRp, { resource: audience, scope: 'authencode' })).access_token;
      await addResourceServer(idp.db, { identifier: 'https://other.example.test', scope: 'authencode' });
      otherAudience = (await oidc.clientCredentialsGrant(hisRp, { resource: 'https://other.example.test', scope: 'authencode' })).access_token;

      // a member of staff logs in through a hospital system (a relying party) asking for a token for this API
      const redirect = 'http://localhost:9/staff-cb';
      const tokenThrough = async (scope: string) => {
        const system = await addClient(idp, { redirect_uris: [redirect], scope: 'openid health_personnel' });
        const rp = await oidc.discovery(new URL(idp.url), system.client_id, system.client_secret, undefined, insecure);
        const verifier = oidc.randomPKCECodeVerifier();
        const authUrl = oidc.buildAuthorizationUrl(rp, { redirect_uri: redirect, scope, resource: audience, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
        const callback = await new Person(idp.url).logInAndConsent(authUrl, TEST_PERSON.pid, TEST_PERSON.password);
        return (await oidc.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: verifier }, { resource: audience })).access_token;
      };
      staff = await tokenThrough('openid health_personnel authencode');
      // the same person through another system that may ask for health_personnel but did not
      notGranted = await tokenThrough('openid authencode');
    });
    after(async () => {
      await zone.close();
      await drop();
    });

    it('tokens carry their units: a hospital system its one hcode, staff the units where they are personnel', async () => {
      await assert.rejects(addClient(zone.idp, { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], hcode: '106' }), /hcode must be the 5-digit code/);
      assert.equal(jose.decodeJwt(his).hcode, '10699');
      assert.deepEqual(jose.decodeJwt(staff).hcodes, ['10699', '13836']);
      assert.equal(jose.decodeJwt(notGranted).hcodes, undefined, 'not without the person granting health_personnel');
      assert.equal(jose.decodeProtectedHeader(staff).typ, 'at+jwt');
    });

    it('refuses missing, malformed, foreign-audience, expired, forged and unit-less tokens', async () => {
      let res = await call('/api/nhso-service/latest-5-authen-code-all-hospital/1234567890121', undefined);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate')!, /^Bearer error="invalid_token"/);
      const body = await res.json();
      assert.equal(body.errors[0].code, 'missing_token');
      assert.equal(typeof body.errors[0].defaultMessage, 'string');
      assert.ok(!JSON.stringify(body).includes('1234567890121'), 'the ID number is not echoed');

      res = await call('/api/nhso-service/confirm-save', 'not-a-jwt', visit());
      assert.equal(res.status, 401);
      res = await call('/api/nhso-service/confirm-save', otherAudience, visit());
      assert.equal(res.status, 401);
      assert.equal((await res.json()).errors[0].code, 'wrong_audience');

      // an expired token signed with the IdP's own key: only the time is wrong
      const key = signingJwks(readKeyring(zone.idp.config.keysDir)!)[0]!;
      const mint = async (exp: number, signer: jose.JWK = key) =>
        new jose.SignJWT({ client_id: 'his-10699', hcode: '10699', scope: 'authencode' })
          .setProtectedHeader({ alg: String(signer.alg ?? 'ES256'), kid: signer.kid, typ: 'at+jwt' })
          .setIssuer(zone.idp.url).setAudience(zone.ac.config.apiAudience).setSubject('his-10699').setIssuedAt(exp - 600).setExpirationTime(exp)
          .sign(await jose.importJWK(signer, String(signer.alg ?? 'ES256')));
      res = await call('/api/nhso-service/confirm-save', await mint(Math.floor(Date.now() / 1000) - 120), visit());
      assert.equal(res.status, 401);
      assert.equal((await res.json()).errors[0].code, 'token_expired');
      const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
      const forgedKey = { ...(await jose.exportJWK(privateKey)), kid: key.kid, alg: 'ES256' };
      res = await call('/api/nhso-service/confirm-save', await mint(Math.floor(Date.now() / 1000) + 600, forgedKey), visit());
      assert.equal(res.status, 401, 'a token signed by another key under the IdP key id');

      res = await call('/api/nhso-service/confirm-save', noUnit, visit());
      assert.equal(res.status, 403);
      assert.equal((await res.json()).errors[0].code, 'not_unit_token');
    });

    it('a hospital system confirms a visit and gets a code; a second confirmation the same day answers 400 with the same code', async () => {
      const v = visit({ hn: 'HN-001' });
      let res = await call('/api/nhso-service/confirm-save', his, v);
      assert.equal(res.status, 201);
      const saved = await res.json();
      assert.match(saved.claimCode, /^PP\d{10}$/);
      assert.equal(saved.pid, v.pid);
      assert.equal(saved.hcode, '10699');
      assert.match(saved.createdDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      res = await call('/api/nhso-service/confirm-save', his, v);
      assert.equal(res.status, 400);
      const dup = await res.json();
      assert.equal(dup.errors[0].code, 'duplicate_authen');
      assert.equal(dup.claimCode, saved.claimCode);
      assert.ok(dup.errors[0].defaultMessage.includes(saved.claimCode));

      res = await call(`/api/nhso-service/latest-authen-code/${v.pid}`, his);
      assert.equal(res.status, 200);
      const latest = await res.json();
      assert.equal(latest.claimCode, saved.claimCode);
      assert.equal(latest.hcode, '10699');
      assert.deepEqual(Object.keys(latest).sort(), ['checkDate', 'claimCode', 'claimDateTime', 'claimType', 'hcode']);
    });

    it('draft, then confirm-save with the same correlationId confirms that draft', async () => {
      const correlationId = crypto.randomUUID();
      const v = visit({ correlationId });
      let res = await call('/api/nhso-service/save-as-draft', his, v);
      assert.equal(res.status, 201);
      const draft = await res.json();
      assert.equal(draft.claimCode, null);
      assert.equal(draft.status, 'draft');
      res = await call('/api/nhso-service/confirm-save', his, v);
      assert.equal(res.status, 201);
      const confirmed = await res.json();
      assert.equal(confirmed.correlationId, correlationId);
      assert.equal(confirmed.status, 'confirmed');
      const { rows } = await zone.ac.db.query("SELECT count(*)::int AS n FROM authencode.visits WHERE correlation_id = $1", [correlationId]);
      assert.equal(rows[0]!.n, 1, 'the draft itself was confirmed, not a second visit');
    });

    it('staff act for the units where they work: hcode required when there are several, another unit refused', async () => {
      const v = visit();
      let res = await call('/api/nhso-service/confirm-save', staff, v);
      assert.equal(res.status, 400);
      assert.equal((await res.json()).errors[0].code, 'hcode_required');
      res = await call('/api/nhso-service/confirm-save', staff, { ...v, hcode: '13836' });
      assert.equal(res.status, 201);
      const there = await res.json();
      res = await call('/api/nhso-service/confirm-save', staff, { ...v, hcode: '10700' });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).errors[0].code, 'wrong_unit');
      res = await call('/api/nhso-service/confirm-save', his, { ...v, hcode: '13836' });
      assert.equal(res.status, 403, 'a hospital system only for its own unit');
      await call('/api/nhso-service/confirm-save', his, v);
      res = await call(`/api/nhso-service/latest-5-authen-code-all-hospital/${v.pid}`, his);
      const five = await res.json();
      assert.deepEqual(new Set(five.map((c: { hcode: string }) => c.hcode)), new Set(['10699', '13836']));
      assert.ok(five.some((c: { claimCode: string }) => c.claimCode === there.claimCode));
      res = await call(`/api/nhso-service/latest-authen-code/${v.pid}?hcode=13836`, staff);
      assert.equal((await res.json()).claimCode, there.claimCode);
    });

    it('bad input: each answered 4xx with the field and a message, nothing saved', async () => {
      const cases: Array<[unknown, number, string]> = [
        [visit({ pid: '1234567890123' }), 400, 'invalid_field'],
        [visit({ claimType: 'XX' }), 400, 'invalid_field'],
        [visit({ claimType: 'PG0090001' }), 400, 'claim_type_not_valid'],
        [visit({ claimType: 'PG0990001' }), 400, 'unknown_claim_type'],
        [visit({ mobile: '08-1234-5678' }), 400, 'invalid_field'],
        [visit({ mobile: '' }), 400, 'invalid_field'],
        [visit({ correlationId: 'abc' }), 400, 'invalid_field'],
        [visit({ hn: '<script>' }), 400, 'invalid_field'],
        [visit({ hcode: '1069' }), 400, 'invalid_field'],
        ['{"pid":', 400, 'invalid_json'],
        [[1, 2], 400, 'invalid_field'],
      ];
      for (const [body, status, code] of cases) {
        const res = await call('/api/nhso-service/confirm-save', his, body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal((await res.json()).errors[0].code, code, JSON.stringify(body));
      }
      let res = await call('/api/nhso-service/confirm-save', his, 'pid=1', { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(res.status, 415);
      res = await call('/api/nhso-service/confirm-save', his, JSON.stringify({ ...visit(), hn: 'x'.repeat(20_000) }));
      assert.ok([400, 413].includes(res.status));
      res = await call('/api/nhso-service/latest-authen-code/12345', his);
      assert.equal(res.status, 400);
      res = await call('/api/nhso-service/latest-authen-code/1234567890121', his);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).errors[0].code, 'no_authen_code');
      res = await call('/api/nhso-service/nothing-here', his);
      assert.equal(res.status, 404);
      const { rows } = await zone.ac.db.query("SELECT count(*)::int AS n FROM authencode.visits WHERE claim_type = 'PG0090001'");
      assert.equal(rows[0]!.n, 0);
    });

    it('the test-zone probe answers a card read by ID number; the OpenAPI 3.1 document lists every endpoint', async () => {
      const population = (await import('node:fs')).readFileSync(zone.idp.config.populationFile, 'utf8').split('\n')[1]!.split(',');
      let res = await call(`/api/smartcard/probe/${population[0]}`, his);
      assert.equal(res.status, 200);
      const card = await res.json();
      assert.equal(card.pid, population[0]);
      assert.equal(card.fname, population[2]);
      assert.match(card.mainInscl, /^\((UCS|SSS|OFC|LGO)\) /);
      assert.match(card.birthDate, /^25\d{6}$/);
      assert.ok(card.claimTypes.some((c: { claimType: string }) => c.claimType === 'PG0060001'));
      assert.ok(!card.claimTypes.some((c: { claimType: string }) => c.claimType === 'PG0090001'), 'retired types are not offered');
      res = await call(`/api/smartcard/probe/${population[0]}`, undefined);
      assert.equal(res.status, 401, 'the probe needs a token too');
      res = await fetch(`${api}/api/openapi.json`);
      const doc = await res.json();
      assert.equal(doc.openapi, '3.1.0');
      for (const p of ['/api/nhso-service/save-as-draft', '/api/nhso-service/confirm-save', '/api/nhso-service/latest-authen-code/{pid}', '/api/nhso-service/latest-5-authen-code-all-hospital/{pid}', '/api/smartcard/probe/{pid}']) {
        assert.ok(doc.paths[p], p);
      }
    });

    it('parallel confirm-save calls for one person and type: one code, the others told it exists', async () => {
      const v = visit();
      const responses = await Promise.all(Array.from({ length: 10 }, () => call('/api/nhso-service/confirm-save', his, v)));
      const bodies = await Promise.all(responses.map((r) => r.json()));
      assert.equal(responses.filter((r) => r.status === 201).length, 1);
      assert.equal(responses.filter((r) => r.status === 400).length, 9);
      assert.equal(new Set(bodies.map((b) => b.claimCode)).size, 1);
    });
  });
}
