// The first production set-up as docs/operations.md gives it, with the real CLI (bin/mpid) against a
// throwaway PostgreSQL database: the server refuses to start without keys, `mpid keys init` makes them
// (in the production zone, before any other configuration is there), `mpid secrets generate` makes the
// secrets, then the schema, the first administrator and the first relying party; the production-zone
// server (src/idp/main.ts, the Docker image's command) then publishes those keys and the administrator
// logs in through that relying party (openid-client, PKCE).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { dbTargets } from '../helpers/db.ts';
import { deadAddress, TEST_PERSON } from '../helpers/server.ts';
import { Person } from '../helpers/person.ts';
import { finishConsent, insecure, loginForm, REDIRECT, sleep, tryPassword } from '../helpers/login.ts';

const root = path.resolve(import.meta.dirname, '../..');
const MPID = path.join(root, 'bin/mpid');
const postgres = dbTargets().find((t) => t.name === 'postgres')!;

describe('the first production set-up, on PostgreSQL', () => {
  let made: Awaited<ReturnType<typeof postgres.create>>;
  let sms: Awaited<ReturnType<typeof deadAddress>>;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  const mpid = (args: string[], input = '', extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [MPID, ...args], { env: { ...env, ...extra }, input, encoding: 'utf8' });
    assert.equal(r.status, 0, `mpid ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    made = await postgres.create();
    sms = await deadAddress(); // nothing is sent during the set-up
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mpid-production-'));
    env = {
      PATH: process.env.PATH,
      IDP_ZONE: 'production',
      DATABASE_URL: made.url,
      KEYS_DIR: path.join(dir, 'keys'),
      DATA_DIR: path.join(dir, 'data'),
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_USERNAME: 'mpid',
      SMS_GATEWAY_SECRET: 'a-long-shared-secret',
      LOG_LEVEL: 'info',
    };
  });
  after(async () => {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((r) => server!.once('exit', r));
    await sms.close();
    await made.drop();
  });

  test('keys, secrets, the first administrator and relying party from the command line; the server then serves discovery, JWKS and a login', async () => {
    // before the keys exist the server refuses, naming the command that makes them
    const refused = spawnSync(process.execPath, [path.join(root, 'src/idp/main.ts')], { env: { ...env, PORT: '0' }, encoding: 'utf8', timeout: 30_000 });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /production needs signing keys in .*keyring\.json: create them with "mpid keys init"/);

    // the keys: only KEYS_DIR is needed, in the production zone too
    const init = JSON.parse(mpid(['keys', 'init'], '', { DATABASE_URL: '', SMS_GATEWAY_URL: '' })) as { created: boolean; generations: string[] };
    assert.deepEqual([init.created, init.generations.length], [true, 1]);
    assert.equal(JSON.parse(mpid(['keys', 'init'])).created, false, 'a second init keeps the keyring');
    const kids = (JSON.parse(mpid(['keys', 'list'])) as Array<{ state: string; kids: string[] }>).flatMap((g) => g.kids);

    // the secrets, as lines for an environment file
    const lines = mpid(['secrets', 'generate', '--env']).trim().split('\n');
    const secrets = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.deepEqual(Object.keys(secrets).sort(), ['IDP_COOKIE_KEYS', 'IDP_PII_KEY', 'METRICS_TOKEN']);
    assert.equal(Buffer.from(secrets.IDP_PII_KEY!, 'base64').length, 32);
    assert.notEqual(mpid(['secrets', 'generate']), mpid(['secrets', 'generate']), 'new each time');
    Object.assign(env, { IDP_COOKIE_KEYS: secrets.IDP_COOKIE_KEYS, IDP_PII_KEY: secrets.IDP_PII_KEY });

    // the schema, the first administrator (an account whose phone the operator checked), the first relying party
    assert.ok(Array.isArray(JSON.parse(mpid(['migrate'])).applied));
    const admin = { ...TEST_PERSON, phone_verified: true };
    const { sub } = JSON.parse(mpid(['account', 'add'], JSON.stringify(admin))) as { sub: string };
    assert.equal(JSON.parse(mpid(['admin', 'bootstrap'], JSON.stringify({ pid: admin.pid, operator: 'somchai', reason: 'first administrator' }))).sub, sub);
    const client = JSON.parse(mpid(['client', 'add'], JSON.stringify({ client_name: 'Clinic app', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], scope: 'openid profile' }))) as { client_id: string; client_secret: string };
    assert.ok(client.client_id && client.client_secret);

    // the production server, as the Docker image runs it
    server = spawn(process.execPath, [path.join(root, 'src/idp/main.ts')], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    server.stdout!.on('data', (c) => output.push(String(c)));
    server.stderr!.on('data', (c) => output.push(String(c)));
    let url: string | undefined;
    for (let i = 0; i < 300 && !url && server.exitCode === null; i++) {
      url = output.join('').match(/Mor Prom ID listening on (http:\/\/localhost:\d+)/)?.[1];
      if (!url) await sleep(100);
    }
    assert.ok(url, `the server started: ${output.join('').slice(-1000)}`);
    assert.match(output.join(''), /"zone":"production"/);

    const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string; code_challenge_methods_supported: string[] };
    assert.equal(discovery.issuer, url);
    assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Array<{ kid: string; d?: string }> };
    assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [...kids].sort(), 'the keys mpid keys init made');
    assert.ok(jwks.keys.every((k) => k.d === undefined), 'public keys only');

    // the administrator logs in through the first relying party (PKCE: production requires it)
    const rp = await oidc.discovery(new URL(url), client.client_id, client.client_secret, undefined, insecure);
    const verifier = oidc.randomPKCECodeVerifier();
    const authUrl = oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid profile', state: 's', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const person = new Person(url);
    const page = await tryPassword(person, await loginForm(person, authUrl), admin.pid, admin.password);
    const tokens = await oidc.authorizationCodeGrant(rp, new URL(await finishConsent(person, page)), { pkceCodeVerifier: verifier, expectedState: 's' });
    assert.equal(tokens.claims()!.sub, sub);
  });
});
