// End to end through a real relying party (openid-client) over HTTP, on both databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import * as jose from 'jose';
import { dbTargets } from '../../helpers/db.ts';
import { addClient, startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { addResourceServer } from '../../../src/idp/oidc/resource_servers.ts';

const REDIRECT = 'https://rp.example.test/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };

for (const target of dbTargets()) {
  describe(`OpenID Connect end to end on ${target.name}`, () => {
    let server: RunningServer;
    let drop: () => Promise<void>;
    let rp: oidc.Configuration;
    let sub: string;

    before(async () => {
      const made = await target.create();
      drop = made.drop;
      server = await startTestServer(made.db);
      sub = (await server.app().accounts.create(TEST_PERSON)).sub;
      const client = await addClient(server, {
        client_name: 'Mor Prom test RP',
        redirect_uris: [REDIRECT],
        post_logout_redirect_uris: ['https://rp.example.test/bye'],
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        scope: 'openid offline_access profile phone pid',
      });
      rp = await oidc.discovery(new URL(server.url), client.client_id, client.client_secret, undefined, insecure);
    });
    after(async () => {
      await server.close();
      await drop();
    });

    async function logIn(config: oidc.Configuration, person: Person, params: Record<string, string> = {}) {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid profile phone pid offline_access',
        prompt: 'consent',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      const callback = await person.logInAndConsent(url, TEST_PERSON.pid, TEST_PERSON.password);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
      return { tokens, callback, nonce };
    }

    test('discovery advertises the protocol this IdP supports', () => {
      const m = rp.serverMetadata();
      assert.equal(m.issuer, server.url);
      assert.deepEqual(m.response_types_supported, ['code']);
      assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
      assert.ok(m.acr_values_supported?.includes('urn:th:etda:aal:2.2'));
      assert.ok(m.pushed_authorization_request_endpoint);
      assert.ok(m.dpop_signing_alg_values_supported?.length);
      assert.ok(m.token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
      assert.ok(m.introspection_endpoint && m.revocation_endpoint && m.end_session_endpoint);
      assert.equal(m.backchannel_logout_supported, true);
      assert.equal(m.request_parameter_supported, true);
      assert.equal(m.claims_parameter_supported, true);
    });

    test('code + PKCE + nonce + state through the real forms; ID token, userinfo, refresh rotation and reuse', async () => {
      const { tokens, nonce } = await logIn(rp, new Person(server.url));
      const claims = tokens.claims()!;
      assert.equal(claims.iss, server.url);
      assert.equal(claims.aud, rp.clientMetadata().client_id);
      assert.equal(claims.nonce, nonce);
      assert.equal(claims.sub, sub);
      assert.equal(typeof claims.auth_time, 'number');
      assert.equal(claims.acr, 'urn:th:etda:aal:1');
      assert.deepEqual(claims.amr, ['pwd']);

      // the ID token verifies against the published JWKS
      const jwks = jose.createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!));
      const verified = await jose.jwtVerify(tokens.id_token!, jwks, { issuer: server.url, audience: rp.clientMetadata().client_id });
      assert.equal(verified.payload.sub, sub);

      const info = await oidc.fetchUserInfo(rp, tokens.access_token, sub);
      assert.equal(info.given_name, TEST_PERSON.given_name);
      assert.equal(info['given_name#en'], TEST_PERSON.given_name_en);
      assert.equal(info.birthdate, TEST_PERSON.birthdate);
      assert.equal(info.phone_number, '+66812345678');
      assert.equal(info.pid, TEST_PERSON.pid);

      const introspected = await oidc.tokenIntrospection(rp, tokens.access_token);
      assert.equal(introspected.active, true);
      assert.equal(introspected.sub, sub);

      assert.ok(tokens.refresh_token);
      const refreshed = await oidc.refreshTokenGrant(rp, tokens.refresh_token);
      assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'refresh token rotated');
      await assert.rejects(oidc.refreshTokenGrant(rp, tokens.refresh_token), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
      // the reuse revoked the whole grant: the newest refresh token and its access token are dead too
      await assert.rejects(oidc.refreshTokenGrant(rp, refreshed.refresh_token), (e: oidc.ResponseBodyError) => e.error === 'invalid_grant');
      assert.equal((await oidc.tokenIntrospection(rp, refreshed.access_token)).active, false);
    });

    test('revocation ends an access token', async () => {
      const { tokens } = await logIn(rp, new Person(server.url));
      await oidc.tokenRevocation(rp, tokens.access_token);
      assert.equal((await oidc.tokenIntrospection(rp, tokens.access_token)).active, false);
      await assert.rejects(oidc.fetchUserInfo(rp, tokens.access_token, sub));
    });

    test('another client may neither introspect nor revoke someone else’s token', async () => {
      const { tokens } = await logIn(rp, new Person(server.url));
      const other = await addClient(server, { redirect_uris: ['https://other.example.test/cb'] });
      const otherRp = await oidc.discovery(new URL(server.url), other.client_id, other.client_secret, undefined, insecure);
      assert.equal((await oidc.tokenIntrospection(otherRp, tokens.access_token)).active, false);
      await assert.rejects(oidc.tokenRevocation(otherRp, tokens.access_token));
      assert.equal((await oidc.tokenIntrospection(rp, tokens.access_token)).active, true);
    });

    test('client credentials, and a JWT access token (RFC 9068) for a registered resource server', async () => {
      const plain = await oidc.clientCredentialsGrant(rp);
      assert.ok(plain.access_token);
      await addResourceServer(server.db, { identifier: 'https://authencode.example.test', scope: 'authencode' });
      const jwt = await oidc.clientCredentialsGrant(rp, { resource: 'https://authencode.example.test', scope: 'authencode' });
      const jwks = jose.createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!));
      const { payload, protectedHeader } = await jose.jwtVerify(jwt.access_token, jwks, { issuer: server.url, audience: 'https://authencode.example.test' });
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.equal(payload.client_id, rp.clientMetadata().client_id);
      assert.equal(payload.scope, 'authencode');
      await assert.rejects(oidc.clientCredentialsGrant(rp, { resource: 'https://unknown.example.test' }), (e: oidc.ResponseBodyError) => e.error === 'invalid_target');
    });

    test('RP-initiated logout ends the session and returns to the client', async () => {
      const person = new Person(server.url);
      const { tokens } = await logIn(rp, person);
      const url = oidc.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://rp.example.test/bye', state: 'bye1' });
      const page = await person.follow(url);
      assert.equal(page.res.status, 200);
      const xsrf = page.body.match(/name="xsrf" value="([^"]+)"/)?.[1];
      assert.ok(xsrf, 'logout page carries the provider’s xsrf token');
      const done = await person.submit(Person.action(page.body, '/session/end/confirm'), { xsrf, logout: 'yes' });
      assert.ok(done.external?.startsWith('https://rp.example.test/bye'), `returned to the client: ${done.external}`);
      assert.equal(new URL(done.external!).searchParams.get('state'), 'bye1');
      // the session is gone: a new authorization asks for the password again
      const again = await person.follow(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' }));
      assert.match(again.body, /name="password"/);
    });

    test('a private_key_jwt client', async () => {
      const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'rp-key-1', use: 'sig', alg: 'ES256' };
      const client = await addClient(server, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [jwk] } });
      assert.equal(client.client_secret, undefined);
      const config = await oidc.discovery(new URL(server.url), client.client_id, undefined, oidc.PrivateKeyJwt({ key: privateKey, kid: 'rp-key-1' }), insecure);
      const { tokens } = await logIn(config, new Person(server.url), { scope: 'openid profile' });
      assert.equal(tokens.claims()!.sub, sub);

      // the same client sends its authorization request as a signed request object (JAR)
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const plain = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid profile', prompt: 'consent', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const signed = await oidc.buildAuthorizationUrlWithJAR(config, plain.searchParams, { key: privateKey, kid: 'rp-key-1' });
      assert.ok(signed.searchParams.get('request'));
      const callback = await new Person(server.url).logInAndConsent(signed, TEST_PERSON.pid, TEST_PERSON.password);
      const jarTokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
      assert.equal(jarTokens.claims()!.sub, sub);

      // a request object signed by someone else's key is refused
      const { privateKey: foreign } = await jose.generateKeyPair('ES256');
      const forged = await oidc.buildAuthorizationUrlWithJAR(config, plain.searchParams, { key: foreign, kid: 'rp-key-1' });
      const refused = await new Person(server.url).request(forged);
      const location = new URL(refused.headers.get('location')!);
      assert.equal(location.searchParams.get('error'), 'invalid_request_object');
    });

    test('a public client with PAR and DPoP-bound tokens', async () => {
      const client = await addClient(server, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
      const config = await oidc.discovery(new URL(server.url), client.client_id, undefined, oidc.None(), insecure);
      const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = await oidc.buildAuthorizationUrlWithPAR(
        config,
        { redirect_uri: REDIRECT, scope: 'openid profile offline_access', prompt: 'consent', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state },
        { DPoP: dpop },
      );
      assert.ok(url.searchParams.get('request_uri')?.startsWith('urn:ietf:params:oauth:request_uri:'));
      const callback = await new Person(server.url).logInAndConsent(url, TEST_PERSON.pid, TEST_PERSON.password);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state }, undefined, { DPoP: dpop });
      assert.equal(tokens.token_type.toLowerCase(), 'dpop');
      const info = await oidc.fetchUserInfo(config, tokens.access_token, sub, { DPoP: dpop });
      assert.equal(info.sub, sub);
      // a DPoP-bound token is useless as a bearer token
      const bearer = await fetch(rp.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(bearer.status, 401);
    });
  });
}
