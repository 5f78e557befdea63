// Two server processes share one PostgreSQL: log in through one, refresh and call userinfo through the other.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import * as oidc from 'openid-client';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, testDirs, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { setClientDisabled } from '../../../src/idp/oidc/clients.ts';

const REDIRECT = 'https://rp.example.test/cb';
const MAIN = path.resolve(import.meta.dirname, '../../../src/main.ts');

/** The second process binds port 0 itself (no port picked beforehand that another test could take): its URL is read from its log. */
async function waitReady(child: ChildProcess, output: () => string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`second process exited: ${output()}`);
    const url = output().match(/Mor Prom ID listening on (http:\/\/localhost:\d+)/)?.[1];
    if (url && (await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`second process not ready: ${output()}`);
}

const postgres = dbTargets().find((t) => t.name === 'postgres')!;

describe('two server processes on one PostgreSQL', () => {
  let a: RunningServer;
  let b: ChildProcess;
  let bUrl: string;
  let drop: () => Promise<void>;

  before(async () => {
    const made = await postgres.create();
    drop = made.drop;
    const dirs = testDirs();
    const shared = {
      ...dirs,
      DATABASE_URL: made.url!,
      IDP_COOKIE_KEYS: randomBytes(32).toString('base64url'),
      IDP_PII_KEY: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'silent',
    };
    // both processes answer as one issuer, as they would behind a load balancer: the first one's, named
    // after the port it bound
    a = await startTestServer(made.db, shared);
    assert.equal(a.config.issuer, a.url);
    let out = '';
    // its Authen Code service and stand-in ThaID on port 0 too: the default ports may be taken
    b = spawn(process.execPath, [MAIN], { env: { ...process.env, ...shared, PORT: '0', AUTHENCODE_PORT: '0', THAID_STAND_IN_PORT: '0', LOG_LEVEL: 'info', ISSUER: a.url }, stdio: ['ignore', 'pipe', 'pipe'] });
    b.stdout!.on('data', (d) => (out += d));
    b.stderr!.on('data', (d) => (out += d));
    bUrl = await waitReady(b, () => out);
  });
  after(async () => {
    b?.kill('SIGTERM');
    await new Promise((r) => (b.exitCode !== null ? r(null) : b.once('exit', r)));
    await a?.close();
    await drop?.();
  });

  test('log in through one, refresh and call userinfo through the other', async () => {
    const { sub } = await a.app().accounts.create(TEST_PERSON);
    const client = await addClient(a, { redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile offline_access' });
    const viaA = await oidc.discovery(new URL(a.url), client.client_id, client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(viaA, {
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access',
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await new Person(a.url).logInAndConsent(url, TEST_PERSON.pid, TEST_PERSON.password);
    const tokens = await oidc.authorizationCodeGrant(viaA, new URL(callback), { pkceCodeVerifier: verifier });

    // the same relying party, its requests now landing on the second process
    const { supportsPKCE: _supportsPKCE, ...m } = viaA.serverMetadata();
    const onB = (u?: string) => u && u.replace(a.url, bUrl);
    const viaB = new oidc.Configuration(
      { ...m, token_endpoint: onB(m.token_endpoint), userinfo_endpoint: onB(m.userinfo_endpoint), jwks_uri: onB(m.jwks_uri) },
      client.client_id,
      client.client_secret,
    );
    oidc.allowInsecureRequests(viaB);
    const refreshed = await oidc.refreshTokenGrant(viaB, tokens.refresh_token!);
    assert.equal(refreshed.claims()!.sub, sub);
    const info = await oidc.fetchUserInfo(viaB, refreshed.access_token, sub);
    assert.equal(info.family_name, TEST_PERSON.family_name);
    // and back: the first process sees the rotation the second one made
    await assert.rejects(oidc.refreshTokenGrant(viaA, tokens.refresh_token!), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
  });

  // the client is read with the client-auth limit in one statement (src/idp/oidc/client_auth_limit.ts):
  // still read in every request, so a client disabled through one process is refused at once by the other
  test('a client disabled through one process is refused by the other at once (HTTP Basic and in the body)', async () => {
    const client = await addClient(a, { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'openid' });
    const viaBasic = (url: string, id = client.client_id, secret = client.client_secret!) => fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const viaBody = (url: string) => fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret! }).toString(),
    });
    for (const url of [a.url, bUrl]) {
      assert.equal((await viaBasic(url)).status, 200, `${url} issues a token`);
      const wrong = await viaBasic(url, client.client_id, 'not the secret');
      assert.equal(wrong.status, 401);
      assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_client');
      const unknown = await viaBasic(url, 'no-such-client');
      assert.equal(unknown.status, 401, 'an unknown client is refused');
    }
    assert.equal(await setClientDisabled(a.db, client.client_id, true), true);
    for (const url of [bUrl, a.url]) {
      const res = await viaBasic(url);
      assert.equal(res.status, 401, `${url} refuses the disabled client`);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
      assert.equal((await viaBody(url)).status, 401);
    }
    assert.equal(await setClientDisabled(a.db, client.client_id, false), true);
    assert.equal((await viaBasic(bUrl)).status, 200, 'enabled again: served at once');
  });
});
