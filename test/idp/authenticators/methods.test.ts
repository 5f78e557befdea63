// The list of authenticator methods: one folder per method and one method per folder, every acr factor
// given by exactly one method, and the loops over the list (the factors an account can use, its strong
// authenticators, the second-factor page's parts, the privacy export) on both databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit } from '../../helpers/server.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { createAccounts, createPasswordHasher, type Accounts } from '../../../src/idp/account/index.ts';
import { createAuthenticators, type AuthenticatorDeps } from '../../../src/idp/authenticators/index.ts';

const pii = createPii(Buffer.alloc(32, 7));
const hasher = createPasswordHasher({ memoryKiB: 1024, timeCost: 1, parallelism: 1, maxConcurrent: 2 });
const relyingParty = { rpID: 'idp.example.test', rpName: 'Mor Prom ID', origin: 'https://idp.example.test' };
/** Every value of the Factor type in src/idp/oidc/acr.ts. */
const ACR_FACTORS = ['pwd', 'sms', 'otp', 'recovery', 'swk', 'hwk', 'fed'];

function withoutDatabase(accounts: Partial<Accounts> = {}) {
  const unused = new Proxy({}, { get: () => () => assert.fail('no database in this test') });
  return createAuthenticators({ db: unused, pii, accounts, hasher, throttle: unused, phoneOtp: unused, relyingParty } as unknown as AuthenticatorDeps);
}

describe('the list of authenticator methods', () => {
  const { methods } = withoutDatabase();

  test('each folder of src/idp/authenticators is one method of the list, and each method has its folder', () => {
    const dir = path.resolve(import.meta.dirname, '../../../src/idp/authenticators');
    const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual(methods.map((m) => m.id).sort(), folders.sort());
  });

  test('every acr factor is given by exactly one method', () => {
    const given = methods.flatMap((m) => m.factors);
    assert.deepEqual([...given].sort(), [...ACR_FACTORS].sort());
  });

  test('a method that joins the security page also says what the export holds of it', () => {
    for (const m of methods) if (m.settings) assert.ok(m.exported, `${m.id} has settings but nothing in the export`);
  });

  test('the second-factor page shows only the offered factors’ methods, in the list’s order', async () => {
    const auth = withoutDatabase({ findBySub: async () => ({ phoneNumber: '+66812345678' }) as never });
    const page = { lang: 'en' as const, uid: 'u1', csrf: 'c', attempt: { sub: 's1', factors: ['pwd' as const], smsOtpId: null } };
    const parts = await auth.secondFactorParts(['sms', 'otp'], page);
    const html = parts.map((p) => String(p.body));
    assert.equal(html.length, 2);
    assert.match(html[0]!, /action="\/interaction\/u1\/totp"/);
    assert.match(html[1]!, /action="\/interaction\/u1\/sms\/send"/);
    assert.match(html[1]!, /08x-xxx-5678/, 'the masked phone');
    assert.ok(!html.join('').includes('data-passkey'), 'no passkey button when no passkey is offered');
  });
});

for (const target of dbTargets()) {
  describe(`the methods of one account on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
    });
    after(() => drop());

    test('factors, strong authenticators and the export follow what the account has set up', async () => {
      const accounts = createAccounts(db, pii, hasher);
      const auth = createAuthenticators({ db, pii, accounts, hasher, throttle: {} as never, phoneOtp: {} as never, relyingParty });
      const { sub } = await accounts.create({ pid: pidWithCheckDigit('110370009999'), given_name: 'ก', family_name: 'ข', birthdate: '1990-01-01', phone_number: '0811111111', password: 'long enough passphrase' });

      assert.deepEqual(await auth.factorsOf(sub), ['pwd'], 'a password, and a phone not yet verified');
      assert.equal(await auth.strongCount(sub), 0);

      const { setupKey } = await auth.totp.begin(sub, 'ก ข');
      assert.equal(await auth.totp.confirm(sub, await generate({ secret: setupKey.replace(/\s/g, '') })), 'ok');
      await auth.recovery.generate(sub);
      await accounts.setVerifiedPhone(sub, '+66811111111');

      assert.deepEqual((await auth.factorsOf(sub)).sort(), ['otp', 'pwd', 'recovery', 'sms']);
      assert.equal(await auth.strongCount(sub), 1, 'the app is strong; SMS and recovery codes are not');

      const exported = await auth.exported(sub);
      assert.deepEqual(Object.keys(exported).sort(), ['authenticator_app', 'passkeys', 'password', 'recovery_codes_left']);
      assert.equal(exported.recovery_codes_left, 10);
      assert.deepEqual(exported.passkeys, []);
      assert.ok((exported.authenticator_app as { confirmed_at: Date }).confirmed_at instanceof Date);
      assert.doesNotMatch(JSON.stringify(exported), /cipher|hash|secret/i);
    });
  });
}
