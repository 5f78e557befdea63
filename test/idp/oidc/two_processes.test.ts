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
    // its Authen Code service on port 0 too: the default port may be taken by another test's
    b = spawn(process.execPath, [MAIN], { env: { ...process.env, ...shared, PORT: '0', AUTHENCODE_PORT: '0', LOG_LEVEL: 'info', ISSUER: a.url }, stdio: ['ignore', 'pipe', 'pipe'] });
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
});
