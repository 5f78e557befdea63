// Key rotation as relying parties see it: a rotated key is published before it signs, and after it
// activates the old key keeps verifying the tokens it signed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { readKeyring, rotateKeys } from '../../../src/idp/oidc/keys.ts';
import { addClient, testDirs } from '../../helpers/server.ts';
import { startServer } from '../../../src/idp/server.ts';

test('mpid keys rotate publishes the next key first; signing moves to it only when it activates', async () => {
  const db = await openPglite();
  const dirs = testDirs();
  const env = { ...dirs, PORT: '0', LOG_LEVEL: 'silent' };
  const tokenKid = async (url: string, client: { client_id: string; client_secret?: string }) => {
    const res = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
      body: 'grant_type=client_credentials&resource=https%3A%2F%2Frs.example.test',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    return jose.decodeProtectedHeader(access_token).kid;
  };

  let server = await startServer({ db, env });
  await db.query("INSERT INTO resource_servers (identifier, scope) VALUES ('https://rs.example.test', '')");
  const client = await addClient(server, { redirect_uris: ['https://rp.example.test/cb'], grant_types: ['client_credentials'] });
  const first = readKeyring(dirs.KEYS_DIR)!.generations[0]!;
  const kid1 = await tokenKid(server.url, client);
  assert.ok(first.keys.some((k) => k.kid === kid1));

  const { added } = rotateKeys(dirs.KEYS_DIR, 3600);
  await server.close();
  server = await startServer({ db, env });
  const published = ((await (await fetch(`${server.url}/jwks`)).json()) as { keys: Array<{ kid: string; d?: string }> }).keys;
  assert.ok(added.keys.every((k) => published.some((p) => p.kid === k.kid)), 'next generation is published');
  assert.ok(published.every((k) => k.d === undefined), 'no private parts in the JWKS');
  const oldToken = await tokenKid(server.url, client);
  assert.ok(first.keys.some((k) => k.kid === oldToken), 'the current key still signs');

  rotateKeys(dirs.KEYS_DIR, 0); // an emergency rotation activates at once
  await server.close();
  server = await startServer({ db, env });
  const ring = readKeyring(dirs.KEYS_DIR)!;
  const newest = ring.generations.at(-1)!;
  const kid3 = await tokenKid(server.url, client);
  assert.ok(newest.keys.some((k) => k.kid === kid3), 'the newest active key signs');
  const jwks = ((await (await fetch(`${server.url}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys;
  assert.ok(jwks.some((k) => k.kid === oldToken), 'the retired key stays published');
  await server.close();
  await db.close();
});
