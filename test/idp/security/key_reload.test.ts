// Signing keys change under a running server as the README's key rotation says: a generation added to
// keyring.json (mpid keys rotate) is published in the JWKS at once, signs ID tokens from its activation
// time without a restart, and the generation it replaces stays published for two days, then is dropped
// (from the JWKS by the server itself, from keyring.json by the next mpid keys rotate). Keys live in
// files, not in the database, so this runs on PGlite only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as jose from 'jose';
import { openPglite, type Database } from '../../../src/kernel/db/index.ts';
import { keyringPath, readKeyring, rotateKeys, RETIRED_PUBLISH_SECONDS, type Generation } from '../../../src/idp/oidc/keys.ts';
import type { RunningServer } from '../../../src/idp/server.ts';
import { startTestServer, TEST_PERSON } from '../../helpers/server.ts';
import { Person } from '../../helpers/person.ts';
import { relyingParty, sleep, type RelyingParty } from '../../helpers/login.ts';

const CLI = path.resolve(import.meta.dirname, '../../../src/idp/cli/main.ts');
const kids = (g: Generation) => g.keys.map((k) => k.kid!);

describe('signing keys reload without a restart', () => {
  let db: Database;
  let server: RunningServer;
  let rp: RelyingParty;

  before(async () => {
    db = await openPglite();
    server = await startTestServer(db);
    await server.app().accounts.create(TEST_PERSON);
    rp = await relyingParty(server);
  });
  after(async () => {
    await server.close();
    await db.close();
  });

  const published = async () => ((await (await fetch(`${server.url}/jwks`)).json()) as jose.JSONWebKeySet).keys.map((k) => k.kid!);
  /** Polls the JWKS until `ready` holds for it (the server notices a deployed keyring by itself). */
  async function jwksWhen(ready: (kids: string[]) => boolean, within = 1500): Promise<string[]> {
    const until = Date.now() + within;
    for (;;) {
      const now = await published();
      if (ready(now) || Date.now() > until) return now;
      await sleep(50);
    }
  }
  async function idToken(): Promise<string> {
    const callback = await new Person(server.url).logInAndConsent(rp.authUrl({ prompt: 'consent' }), TEST_PERSON.pid, TEST_PERSON.password);
    return (await rp.tokens(callback)).id_token!;
  }

  test('a generation added by mpid keys rotate is published at once and signs ID tokens from its activation, without a restart', async () => {
    const first = readKeyring(server.config.keysDir)!.generations[0]!;
    const { added } = rotateKeys(server.config.keysDir, 3);
    const activatesAt = new Date(added.activatesAt).getTime();

    const jwks = await jwksWhen((k) => kids(added).every((kid) => k.includes(kid)));
    assert.ok(kids(added).every((kid) => jwks.includes(kid)), 'the next generation is in the JWKS before it signs');
    const before = await idToken();
    assert.ok(Date.now() < activatesAt, 'still before the activation (the machine was too slow to tell)');
    assert.ok(kids(first).includes(jose.decodeProtectedHeader(before).kid!), 'until then the current generation signs');

    await sleep(activatesAt - Date.now() + 500);
    const afterwards = await idToken();
    assert.ok(kids(added).includes(jose.decodeProtectedHeader(afterwards).kid!), 'the new generation signs, no restart');
    const now = await published();
    assert.ok(kids(first).every((kid) => now.includes(kid)), 'the previous generation stays published');
    const keySet = jose.createLocalJWKSet((await (await fetch(`${server.url}/jwks`)).json()) as jose.JSONWebKeySet);
    await jose.jwtVerify(before, keySet, { issuer: server.url }).catch((e: Error) => assert.fail(`a token signed before the rotation still verifies: ${e.message}`));
  });

  test('a retired generation is dropped from the JWKS two days after it stopped signing, and from keyring.json by the next rotation', async () => {
    const dir = server.config.keysDir;
    // a keyring as it stands two days after a rotation, less two seconds: the oldest generation retired
    // when the next one activated and is about to expire
    const ring = readKeyring(dir)!;
    const now = Date.now();
    const sorted = [...ring.generations].sort((a, b) => a.activatesAt.localeCompare(b.activatesAt));
    sorted.forEach((g, i) => (g.activatesAt = new Date(now - (10 - i) * 86400_000).toISOString()));
    writeFileSync(keyringPath(dir), JSON.stringify(ring));
    const retiresAt = now - RETIRED_PUBLISH_SECONDS * 1000 + 2000;
    const { added: successor } = rotateKeys(dir, 0, new Date(retiresAt));
    const states = readKeyring(dir)!.generations;
    const retiring = states.filter((g) => g.id !== successor.id).sort((a, b) => b.activatesAt.localeCompare(a.activatesAt))[0]!;

    const jwks = await jwksWhen((k) => kids(successor).every((kid) => k.includes(kid)));
    assert.ok(Date.now() < retiresAt + RETIRED_PUBLISH_SECONDS * 1000, 'still within the two days (the machine was too slow to tell)');
    assert.ok(kids(successor).every((kid) => jwks.includes(kid)), 'the successor is published');
    assert.ok(kids(retiring).every((kid) => jwks.includes(kid)), 'the retired generation is still published');

    await sleep(retiresAt + RETIRED_PUBLISH_SECONDS * 1000 - Date.now() + 1500);
    const later = await published();
    assert.ok(kids(retiring).every((kid) => !later.includes(kid)), 'two days after it stopped signing it is no longer published');
    assert.ok(kids(successor).every((kid) => later.includes(kid)));

    const cli = spawnSync(process.execPath, [CLI, 'keys', 'rotate'], { env: { ...process.env, KEYS_DIR: dir, DATA_DIR: server.config.dataDir, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as { added: string; dropped: string[] };
    assert.ok(out.dropped.includes(retiring.id), `mpid keys rotate drops ${retiring.id}: ${cli.stdout}`);
    const file = JSON.parse(readFileSync(keyringPath(dir), 'utf8')) as { generations: Generation[] };
    assert.ok(!file.generations.some((g) => g.id === retiring.id), 'gone from keyring.json');
    assert.ok(file.generations.some((g) => g.id === successor.id), 'the active generation stays');
    const added = file.generations.find((g) => g.id === out.added)!;
    const withNext = await jwksWhen((k) => kids(added).every((kid) => k.includes(kid)));
    assert.ok(kids(added).every((kid) => withNext.includes(kid)), 'the generation the CLI added is published at once');
  });
});
