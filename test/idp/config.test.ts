// Configuration: defaults, generated test-zone secrets, and one clear line for every bad value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError, idpVars } from '../../src/idp/config.ts';
import type { Vars } from '../../src/kernel/config.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mpid-config-'));

test('test-zone defaults, and secrets generated once and kept', () => {
  const DATA_DIR = tmp();
  const c = loadConfig({ DATA_DIR });
  assert.equal(c.zone, 'test');
  assert.equal(c.port, 3000);
  assert.equal(c.issuer, 'http://localhost:3000');
  assert.equal(c.databaseUrl, undefined);
  assert.deepEqual(c.argon2, { memoryKiB: 19456, timeCost: 2, parallelism: 1, maxConcurrent: 4 });
  assert.equal(statSync(path.join(DATA_DIR, 'secrets.json')).mode & 0o777, 0o600);
  const again = loadConfig({ DATA_DIR });
  assert.deepEqual(again.cookieKeys, c.cookieKeys);
  assert.ok(again.piiKey.equals(c.piiKey));
  assert.equal(loadConfig({ DATA_DIR, PORT: '8080' }).issuer, 'http://localhost:8080');
});

test('each bad value is refused with a message naming it', () => {
  const DATA_DIR = tmp();
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ IDP_ZONE: 'staging' }, /IDP_ZONE/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ISSUER: 'not a url' }, /ISSUER/],
    [{ ISSUER: 'ftp://idp.example' }, /ISSUER/],
    [{ IDP_REGISTRATION_TOKEN: 'short' }, /IDP_REGISTRATION_TOKEN/],
    [{ ARGON2_MEMORY_KIB: '10' }, /ARGON2_MEMORY_KIB/],
    [{ IDP_PII_KEY: 'dG9vLXNob3J0' }, /IDP_PII_KEY/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig({ DATA_DIR, ...env }), (e: Error) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
  }
});

test('production refuses to start without what it needs, each with one clear line', () => {
  const keysDir = tmp();
  const full = {
    IDP_ZONE: 'production',
    ISSUER: 'https://id.morprom.example',
    DATABASE_URL: 'postgres://mpid@db/mpid',
    KEYS_DIR: keysDir,
    DATA_DIR: tmp(),
    IDP_COOKIE_KEYS: randomBytes(32).toString('base64url'),
    IDP_PII_KEY: randomBytes(32).toString('base64'),
    SMS_GATEWAY_URL: 'https://sms.example/send',
    SMS_GATEWAY_USERNAME: 'mpid',
    SMS_GATEWAY_SECRET: 'a-long-shared-secret',
  };
  const refusals: Array<[Record<string, string | undefined>, RegExp]> = [
    [{ ISSUER: 'http://id.morprom.example' }, /https/],
    [{ DATABASE_URL: undefined }, /DATABASE_URL/],
    [{}, /keyring\.json/],
  ];
  for (const [change, message] of refusals) {
    assert.throws(() => loadConfig({ ...full, ...change }), (e: Error) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'));
  }
  mkdirSync(keysDir, { recursive: true });
  writeFileSync(path.join(keysDir, 'keyring.json'), '{"generations":[]}');
  assert.throws(() => loadConfig({ ...full, IDP_COOKIE_KEYS: undefined }), /IDP_COOKIE_KEYS/);
  assert.throws(() => loadConfig({ ...full, IDP_PII_KEY: undefined }), /IDP_PII_KEY/);
  assert.throws(() => loadConfig({ ...full, SMS_GATEWAY_URL: undefined }), /SMS_GATEWAY_URL/);
  assert.throws(() => loadConfig({ ...full, SMS_GATEWAY_SECRET: undefined }), /SMS_GATEWAY_SECRET/);
  for (const [name, v] of Object.entries(idpVars.vars as Vars)) {
    if (v.required !== 'production') continue;
    assert.throws(() => loadConfig({ ...full, [name]: undefined }), (e: Error) => e instanceof ConfigError && e.message.includes(name), `documented as required: ${name}`);
  }
  const ok = loadConfig(full);
  assert.equal(ok.zone, 'production');
  const thaid = { THAID_CLIENT_ID: 'c', THAID_CLIENT_SECRET: 'a long enough secret' };
  assert.throws(() => loadConfig({ ...full, ...thaid, THAID_ISSUER: 'http://thaid.example' }), /production refuses an http THAID_ISSUER/);
  assert.equal(loadConfig({ ...full, ...thaid, THAID_ISSUER: 'https://imauth.bora.dopa.go.th' }).thaid?.issuer, 'https://imauth.bora.dopa.go.th');
  assert.equal(loadConfig({ ...full, ISSUER: 'http://localhost:3000' }).issuer, 'http://localhost:3000', 'loopback http is allowed');
});

test('the face matcher: builtin by default with its calibrated threshold; an HTTP service keeps its own scale; none', () => {
  const DATA_DIR = tmp();
  const builtin = loadConfig({ DATA_DIR });
  assert.equal(builtin.faceMatch?.kind, 'builtin');
  assert.equal(builtin.faceMatchThreshold, 0.47);
  const http = loadConfig({ DATA_DIR, FACE_MATCH_URL: 'https://faces.example/verify' });
  assert.equal(http.faceMatch?.kind, 'http');
  assert.equal(http.faceMatchThreshold, 0.9, 'the former default for a service whose scale we do not know');
  assert.equal(loadConfig({ DATA_DIR, FACE_MATCH_URL: 'https://faces.example/verify', FACE_MATCH_THRESHOLD: '0.8' }).faceMatch?.threshold, 0.8);
  assert.equal(loadConfig({ DATA_DIR, FACE_MATCHER: 'none' }).faceMatch, undefined);
  const tuned = loadConfig({ DATA_DIR, FACE_MATCH_WORKERS: '2', FACE_MATCH_QUEUE: '0', FACE_MATCH_MIN_FACE_PX: '120' }).faceMatch;
  assert.deepEqual(tuned?.kind === 'builtin' && { size: tuned.size, queue: tuned.queue, minFacePx: tuned.rules.minFacePx }, { size: 2, queue: 0, minFacePx: 120 });
  assert.throws(() => loadConfig({ DATA_DIR, FACE_MATCHER: 'http' }), /FACE_MATCHER=http needs FACE_MATCH_URL/);
  assert.throws(() => loadConfig({ DATA_DIR, FACE_MATCHER: 'cloud' }), /FACE_MATCHER/);
});

test('ThaID: off without THAID_ISSUER; each missing credential, an unreadable key and http in production refused', () => {
  const DATA_DIR = tmp();
  assert.equal(loadConfig({ DATA_DIR }).thaid, undefined);
  const base = { DATA_DIR, THAID_ISSUER: 'https://imauth.bora.dopa.go.th' };
  assert.throws(() => loadConfig(base), (e: Error) => e instanceof ConfigError && /THAID_CLIENT_ID/.test(e.message));
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c' }), /needs THAID_CLIENT_SECRET/);
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_AUTH: 'private_key_jwt' }), /needs THAID_PRIVATE_KEY_FILE/);
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_AUTH: 'private_key_jwt', THAID_PRIVATE_KEY_FILE: path.join(DATA_DIR, 'none.json') }), /cannot be read as a JWK/);
  const pub = path.join(DATA_DIR, 'public.json');
  writeFileSync(pub, JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k' }));
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_AUTH: 'private_key_jwt', THAID_PRIVATE_KEY_FILE: pub }), /must hold a private JWK/);
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_SECRET: 'short' }), /THAID_CLIENT_SECRET must be at least 16 characters/);
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_SECRET: 'a long enough secret', THAID_SCOPES: 'pid ial' }), /must include openid/);
  const ok = loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_SECRET: 'a long enough secret' }).thaid!;
  assert.deepEqual(ok, { issuer: 'https://imauth.bora.dopa.go.th', clientId: 'c', clientAuth: { method: 'client_secret_basic', secret: 'a long enough secret' }, login: false, allowHttp: false });
  // a login at ThaID stands for one here only when asked for
  assert.equal(loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_SECRET: 'a long enough secret', THAID_LOGIN: 'true' }).thaid!.login, true);
  assert.throws(() => loadConfig({ ...base, THAID_CLIENT_ID: 'c', THAID_CLIENT_SECRET: 'a long enough secret', THAID_LOGIN: 'yes please' }), /THAID_LOGIN/);
});
