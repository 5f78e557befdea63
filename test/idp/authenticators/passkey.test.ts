// Passkeys on both databases with a software authenticator: register, log in (discoverable or for a
// known account), and every refusal: no user verification, replayed or expired challenge, wrong
// origin, counter going back, malformed responses; rename and remove; device-bound vs synced.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit } from '../../helpers/server.ts';
import { SoftAuthenticator } from '../../helpers/softauthn.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { createAccounts, createPasswordHasher } from '../../../src/idp/account/index.ts';
import { createPasskeys } from '../../../src/idp/authenticators/passkey/index.ts';

const ORIGIN = 'https://id.example.test';
const pii = createPii(Buffer.alloc(32, 5));
const hasher = createPasswordHasher({ memoryKiB: 1024, timeCost: 1, parallelism: 1, maxConcurrent: 2 });

for (const target of dbTargets()) {
  describe(`passkeys on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let n = 0;
    let clock = Date.now();
    const passkeys = () => createPasskeys(db, { rpID: 'id.example.test', rpName: 'Mor Prom ID', origin: ORIGIN, now: () => clock });

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
    });
    after(() => drop());

    async function account(): Promise<string> {
      n++;
      const twelve = `31006000${String(n).padStart(4, '0')}`;
      return (await createAccounts(db, pii, hasher).create({ pid: pidWithCheckDigit(twelve), given_name: 'ก', family_name: 'ข', birthdate: '1990-01-01', phone_number: '0811111111', password: 'long enough passphrase' })).sub;
    }
    async function register(sub: string, device: SoftAuthenticator, name = 'My phone') {
      const { challengeId, options } = await passkeys().registrationOptions(sub, { name: 'x', displayName: 'x' });
      return passkeys().verifyRegistration(sub, challengeId, device.create(options), name);
    }

    test('register and log in without typing an ID number; the user handle is neither the ID number nor sub', async () => {
      const sub = await account();
      const device = new SoftAuthenticator(ORIGIN);
      const { options } = await passkeys().registrationOptions(sub, { name: 'x', displayName: 'x' });
      assert.equal(options.authenticatorSelection?.userVerification, 'required');
      assert.equal(options.authenticatorSelection?.residentKey, 'required');
      assert.notEqual(Buffer.from(options.user.id, 'base64url').toString(), sub);
      const reg = await register(sub, device);
      assert.ok(reg.ok);
      const login = await passkeys().authenticationOptions();
      assert.deepEqual(login.options.allowCredentials, []);
      const result = await passkeys().verifyAuthentication(login.challengeId, device.get(login.options));
      assert.deepEqual(result, { ok: true, sub, id: (reg as { id: string }).id, deviceBound: false });
      const again = await passkeys().registrationOptions(sub, { name: 'x', displayName: 'x' });
      assert.equal(again.options.excludeCredentials?.length, 1, 'an authenticator cannot register twice');
    });

    test('a device-bound passkey is reported as such', async () => {
      const sub = await account();
      const key = new SoftAuthenticator(ORIGIN, { synced: false });
      assert.ok((await register(sub, key, 'Security key')).ok);
      const login = await passkeys().authenticationOptions(sub);
      assert.equal(login.options.allowCredentials?.length, 1);
      const result = await passkeys().verifyAuthentication(login.challengeId, key.get(login.options));
      assert.ok(result.ok && result.deviceBound);
      assert.deepEqual((await passkeys().list(sub)).map((k) => [k.name, k.deviceBound]), [['Security key', true]]);
    });

    test('refused: no user verification, replayed challenge, expired challenge, wrong origin, counter going back, malformed input', async () => {
      const sub = await account();
      const unverified = new SoftAuthenticator(ORIGIN);
      unverified.userVerified = false;
      assert.equal((await register(sub, unverified)).ok, false, 'registration without user verification');
      const device = new SoftAuthenticator(ORIGIN);
      assert.ok((await register(sub, device)).ok);

      let login = await passkeys().authenticationOptions();
      device.userVerified = false;
      assert.equal((await passkeys().verifyAuthentication(login.challengeId, device.get(login.options))).ok, false, 'login without user verification');
      device.userVerified = true;

      login = await passkeys().authenticationOptions();
      const response = device.get(login.options);
      assert.ok((await passkeys().verifyAuthentication(login.challengeId, response)).ok);
      assert.equal((await passkeys().verifyAuthentication(login.challengeId, response)).ok, false, 'a challenge works once');

      login = await passkeys().authenticationOptions();
      clock += 6 * 60_000;
      assert.equal((await passkeys().verifyAuthentication(login.challengeId, device.get(login.options))).ok, false, 'expired challenge');
      clock = Date.now();

      login = await passkeys().authenticationOptions();
      assert.equal((await passkeys().verifyAuthentication(login.challengeId, device.get(login.options, { origin: 'https://evil.example' }))).ok, false, 'wrong origin');

      login = await passkeys().authenticationOptions();
      assert.equal((await passkeys().verifyAuthentication(login.challengeId, device.get(login.options, { counter: 1 }))).ok, false, 'a cloned authenticator (counter went back)');

      for (const junk of [null, 'x', {}, { id: 'nope', response: {} }, { id: 42 }]) {
        login = await passkeys().authenticationOptions();
        assert.equal((await passkeys().verifyAuthentication(login.challengeId, junk)).ok, false);
      }
      assert.equal((await passkeys().verifyAuthentication('no-such-challenge', {})).ok, false);
      const reg = await passkeys().registrationOptions(sub, { name: 'x', displayName: 'x' });
      assert.equal((await passkeys().verifyRegistration(sub, reg.challengeId, { nonsense: true }, 'x')).ok, false);
    });

    test('a challenge for one account cannot register for another; rename and remove are scoped to the account', async () => {
      const a = await account();
      const b = await account();
      const device = new SoftAuthenticator(ORIGIN);
      const { challengeId, options } = await passkeys().registrationOptions(a, { name: 'x', displayName: 'x' });
      assert.equal((await passkeys().verifyRegistration(b, challengeId, device.create(options), 'x')).ok, false);
      const reg = await register(a, new SoftAuthenticator(ORIGIN), '  Laptop   passkey  ');
      assert.ok(reg.ok);
      assert.equal((await passkeys().list(a))[0]!.name, 'Laptop passkey');
      assert.equal(await passkeys().rename(b, reg.id, 'stolen'), false);
      assert.equal(await passkeys().remove(b, reg.id), false);
      assert.equal(await passkeys().rename(a, reg.id, 'Work laptop'), true);
      assert.equal(await passkeys().remove(a, reg.id), true);
      assert.equal(await passkeys().count(a), 0);
    });
  });
}
