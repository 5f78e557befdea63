// The resource servers' access-token check (src/kernel/http/access_token.ts), with real ES256 keys:
// a good token gives its claims, client and scopes; each way a token fails has its own reason; a
// private key member never reaches the key set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { AccessTokenError, accessTokenVerifier, publicKeys, type AccessTokenFailure } from '../../src/kernel/http/access_token.ts';

const ISSUER = 'https://id.example.test';
const AUDIENCE = 'https://api.example.test';
const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
const sign = (o: { typ?: string; aud?: string; exp?: number; scope?: string } = {}) =>
  new jose.SignJWT({ client_id: 'his-10699', scope: o.scope ?? 'authencode read' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: o.typ ?? 'at+jwt' })
    .setIssuer(ISSUER).setAudience(o.aud ?? AUDIENCE).setSubject('his-10699').setIssuedAt().setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(privateKey);
const refused = (reason: AccessTokenFailure) => (err: unknown) => err instanceof AccessTokenError && err.reason === reason;

test('publicKeys keeps a signing key’s public members only', () => {
  const [pub] = publicKeys([jwk]);
  assert.equal(jwk.d !== undefined, true);
  assert.deepEqual(Object.keys(pub!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
});

test('a good token gives its claims, its client and its scopes', async () => {
  const verify = accessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: [jwk] });
  const token = await verify(`Bearer ${await sign()}`);
  assert.equal(token.clientId, 'his-10699');
  assert.deepEqual(token.scopes, ['authencode', 'read']);
  assert.equal(token.claims.iss, ISSUER);
});

test('each failure has its reason: missing, malformed, expired, another audience, not an access token, keys unreachable', async () => {
  const verify = accessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: [jwk] });
  await assert.rejects(verify(undefined), refused('missing'));
  await assert.rejects(verify('Basic abc'), refused('malformed'));
  await assert.rejects(verify(`Bearer ${await sign({ exp: Math.floor(Date.now() / 1000) - 120 })}`), refused('expired'));
  await assert.rejects(verify(`Bearer ${await sign({ aud: 'https://other.example.test' })}`), refused('audience'));
  await assert.rejects(verify(`Bearer ${await sign({ typ: 'JWT' })}`), refused('invalid'), 'an ID token is not an access token');
  const other = await jose.generateKeyPair('ES256');
  const forged = await new jose.SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(other.privateKey);
  await assert.rejects(verify(`Bearer ${forged}`), refused('invalid'), 'another key’s signature');
  const remote = accessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: async () => { throw new TypeError('fetch failed'); } });
  await assert.rejects(remote(`Bearer ${await sign()}`), refused('keys_unreachable'));
});
