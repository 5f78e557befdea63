// What the production zone does differently, against a test-zone server on the same database: PKCE
// is required of every client unless it is pkce_exempt; typing card data by hand (/verifier/by-hand),
// the SMS outbox (/test-zone/sms) and the Authen Code card probe (/api/smartcard/probe) do not exist.
// The differences are routing and provider configuration, not storage: PGlite only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import { openPglite, type Database } from '../../../src/kernel/db/index.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { ensureKeyring } from '../../../src/idp/oidc/keys.ts';
import { startAuthencode, type RunningAuthencode } from '../../../src/authencode/server.ts';
import { ensureClientKey } from '../../../src/authencode/client_key.ts';
import { startTestServer, testDirs, TEST_PERSON } from '../../helpers/server.ts';
import { seedVerifierAtUnit } from '../../helpers/proofing.ts';
import { Person } from '../../helpers/person.ts';
import { finishConsent, loginForm, relyingParty, tryPassword, type RelyingParty } from '../../helpers/login.ts';

/** The SMS gateway production sends to: keeps what it was given. */
async function fakeSmsGateway() {
  const messages: Array<{ to: string; text: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      messages.push(JSON.parse(body));
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/send`,
    codeFor: (e164: string) => messages.filter((m) => m.to === e164).at(-1)?.text.match(/\b(\d{6})\b/)?.[1],
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('the production zone', () => {
  let db: Database;
  let production: RunningServer;
  let testZone: RunningServer;
  let authencode: RunningAuthencode;
  let gateway: Awaited<ReturnType<typeof fakeSmsGateway>>;
  let confidential: RelyingParty;
  let exempt: RelyingParty;
  let doctor: string;

  before(async () => {
    db = await openPglite();
    gateway = await fakeSmsGateway();
    const dirs = testDirs();
    ensureKeyring(dirs.KEYS_DIR); // production never generates keys: `mpid keys init` made them
    production = await startTestServer(db, {
      ...dirs,
      IDP_ZONE: 'production',
      PORT: '0', // the issuer names the port bound: http://localhost:…, the one http issuer production accepts
      DATABASE_URL: 'postgres://unused@localhost/unused', // required; the test hands the database in
      IDP_COOKIE_KEYS: randomBytes(32).toString('base64url'),
      IDP_PII_KEY: randomBytes(32).toString('base64'),
      SMS_GATEWAY_URL: gateway.url,
      SMS_GATEWAY_USERNAME: 'mpid',
      SMS_GATEWAY_SECRET: 'a-long-shared-secret',
    });
    assert.equal(production.config.zone, 'production');
    testZone = await startTestServer(db);
    // the test person: linked personnel, appointed verifier at unit 10699 (and so able to log in)
    doctor = await seedVerifierAtUnit(production);
    confidential = await relyingParty(production);
    exempt = await relyingParty(production, { pkce_exempt: true });

    const acDirs = testDirs();
    const clientKeyFile = path.join(acDirs.DATA_DIR, 'client-key.json');
    await ensureClientKey(clientKeyFile, true);
    const qr = await jose.generateKeyPair('ES256', { extractable: true });
    authencode = await startAuthencode({
      db,
      env: {
        ...acDirs,
        IDP_ZONE: 'production',
        AUTHENCODE_PORT: '0',
        AUTHENCODE_URL: 'https://authen.example.test',
        AUTHENCODE_IDP_ISSUER: 'https://id.example.test',
        DATABASE_URL: 'postgres://unused@localhost/unused',
        AUTHENCODE_COOKIE_KEYS: randomBytes(32).toString('base64url'),
        AUTHENCODE_PII_KEY: randomBytes(32).toString('base64'),
        AUTHENCODE_CLIENT_KEY_FILE: clientKeyFile,
        AUTHENCODE_QR_KEY: JSON.stringify(await jose.exportJWK(qr.privateKey)),
        ENTITLEMENT_REGISTER_URL: 'https://entitlement.example.test',
        LOG_LEVEL: 'silent',
      },
    });
    assert.equal(authencode.config.zone, 'production');
  });
  after(async () => {
    await authencode.close();
    await production.close();
    await testZone.close();
    await gateway.close();
    await db.close();
  });

  const withoutPkce = (rp: RelyingParty, base: string) => {
    const url = rp.authUrl();
    return new URL(`${base}${url.pathname}${url.search}`);
  };

  test('a confidential client without PKCE is refused in production and served in the test zone', async () => {
    const refused = await new Person(production.url).follow(withoutPkce(confidential, production.url));
    assert.ok(refused.external, 'sent back to the client');
    const answer = new URL(refused.external);
    assert.equal(answer.searchParams.get('error'), 'invalid_request');
    assert.match(answer.searchParams.get('error_description')!, /PKCE/);
    assert.equal(answer.searchParams.get('code'), null);

    // the same client at the test zone's server on the same database gets the login page
    const served = await new Person(testZone.url).follow(withoutPkce(confidential, testZone.url));
    assert.equal(served.res.status, 200);
    assert.match(served.body, /name="password"/);
  });

  test('with PKCE, or as a pkce_exempt client, the production login completes', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const withPkce = confidential.authUrl({ code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    let person = new Person(production.url);
    let page = await tryPassword(person, await loginForm(person, withPkce), TEST_PERSON.pid, TEST_PERSON.password);
    const callback = await finishConsent(person, page);
    const tokens = await oidc.authorizationCodeGrant(confidential.rp, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 's' });
    assert.ok(tokens.claims()!.sub);

    person = new Person(production.url);
    page = await tryPassword(person, await loginForm(person, exempt.authUrl()), TEST_PERSON.pid, TEST_PERSON.password);
    const claims = (await exempt.tokens(await finishConsent(person, page))).claims()!;
    assert.ok(claims.sub, 'the exempt client redeems its code without a verifier');
  });

  test('typing card data by hand does not exist in production, even for a logged-in verifier', async () => {
    const person = new Person(production.url);
    let page = await person.follow('/verifier');
    page = await person.submit(Person.action(page.body, '/login'), { csrf: Person.csrf(page.body), pid: TEST_PERSON.pid, password: TEST_PERSON.password });
    page = await person.submit(Person.action(page.body, '/sms/send'), { csrf: Person.csrf(page.body) });
    page = await person.submit(Person.action(page.body, '/sms'), { csrf: Person.csrf(page.body), code: gateway.codeFor('+66812345678')! });
    assert.equal(page.res.status, 200, `the verifier console: ${page.body.slice(0, 200)}`);
    assert.doesNotMatch(page.body, /by-hand/, 'no form for it');
    const res = await person.submit('/verifier/by-hand', {
      csrf: Person.csrf(page.body), sub: doctor, pid: TEST_PERSON.pid, given_name: TEST_PERSON.given_name, family_name: TEST_PERSON.family_name,
      birth_day: '14', birth_month: '3', birth_year: '2528', expiry_day: '1', expiry_month: '1', expiry_year: '2580', card_status: 'yes',
    });
    assert.equal(res.res.status, 404);

    const testZoneAnswer = await new Person(testZone.url).submit('/verifier/by-hand', { csrf: 'x' });
    assert.notEqual(testZoneAnswer.res.status, 404, 'the test zone has the route');
  });

  test('the SMS outbox does not exist in production', async () => {
    assert.equal((await fetch(`${production.url}/test-zone/sms?to=%2B66812345678`)).status, 404);
    assert.equal((await fetch(`${testZone.url}/test-zone/sms?to=%2B66812345678`)).status, 200);
  });

  test("the Authen Code card probe answers only registered card reader agents in production", async () => {
    const probe = await fetch(`${authencode.url}/api/smartcard/probe/1234567890121`);
    assert.equal(probe.status, 401, 'it wants a token');
    const other = await fetch(`${authencode.url}/api/nhso-service/latest-authen-code/1234567890121`);
    assert.equal(other.status, 401, 'the API is there and wants a token');
    const openapi = (await (await fetch(`${authencode.url}/api/openapi.json`)).json()) as { paths: Record<string, { get?: { description?: string } }> };
    assert.match(openapi.paths['/api/smartcard/probe/{pid}']!.get!.description!, /^Only a card reader agent registered at this service/, 'described with its production rule');
  });
});
