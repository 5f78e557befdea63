// The authenticator app and recovery codes on both databases: enrolment needs a first code, one step
// of drift is tolerated, each code works once (even when two arrive together), secrets are encrypted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { dbTargets } from '../../helpers/db.ts';
import { pidWithCheckDigit } from '../../helpers/server.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import type { Database } from '../../../src/kernel/db/index.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { createAccounts, createPasswordHasher } from '../../../src/idp/account/index.ts';
import { createTotp } from '../../../src/idp/authenticators/totp/index.ts';
import { createRecoveryCodes } from '../../../src/idp/authenticators/recovery_codes/index.ts';

const pii = createPii(Buffer.alloc(32, 9));
const hasher = createPasswordHasher({ memoryKiB: 1024, timeCost: 1, parallelism: 1, maxConcurrent: 2 });
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

for (const target of dbTargets()) {
  describe(`authenticator app and recovery codes on ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let n = 0;
    let clock = T0;
    const now = () => clock;

    before(async () => {
      ({ db, drop } = await target.create());
      await migrate(db);
    });
    after(() => drop());

    async function account(): Promise<string> {
      n++;
      const twelve = `11037000${String(n).padStart(4, '0')}`;
      const pid = pidWithCheckDigit(twelve);
      const a = createAccounts(db, pii, hasher);
      return (await a.create({ pid, given_name: 'ก', family_name: 'ข', birthdate: '1990-01-01', phone_number: '0811111111', password: 'long enough passphrase' })).sub;
    }
    const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

    test('enrolment: nothing counts until the first code confirms it; the secret is stored encrypted', async () => {
      const sub = await account();
      const totp = createTotp(db, pii, { now });
      const { setupKey, otpauthUri, qrSvg } = await totp.begin(sub, 'สมหญิง');
      const secret = setupKey.replace(/\s/g, '');
      assert.match(otpauthUri, /^otpauth:\/\/totp\//);
      assert.match(qrSvg, /^<svg/);
      assert.equal(await totp.verify(sub, await codeAt(secret, clock)), 'none', 'a pending secret logs nobody in');
      assert.equal(await totp.confirm(sub, '000000x'), 'wrong');
      assert.equal(await totp.confirm(sub, await codeAt(secret, clock)), 'ok');
      assert.equal((await totp.status(sub)).enrolled, true);
      const { rows } = await db.query<{ secret_cipher: string }>('SELECT secret_cipher FROM totp_authenticators WHERE sub = $1', [sub]);
      assert.ok(!rows[0]!.secret_cipher.includes(secret));
    });

    test('one step of drift either way is accepted, two are not; each code works once', async () => {
      const sub = await account();
      const totp = createTotp(db, pii, { now });
      const secret = (await totp.begin(sub, 'x')).setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(sub, await codeAt(secret, clock - 60_000)), 'wrong', 'two steps old');
      assert.equal(await totp.confirm(sub, await codeAt(secret, clock + 60_000)), 'wrong', 'two steps ahead');
      assert.equal(await totp.confirm(sub, await codeAt(secret, clock - 30_000)), 'ok', 'one step old');
      assert.equal(await totp.verify(sub, await codeAt(secret, clock - 30_000)), 'replayed');
      assert.equal(await totp.verify(sub, await codeAt(secret, clock)), 'ok');
      assert.equal(await totp.verify(sub, await codeAt(secret, clock)), 'replayed');
      assert.equal(await totp.verify(sub, await codeAt(secret, clock + 30_000)), 'ok', 'one step ahead');
      clock += 90_000;
      const code = await codeAt(secret, clock);
      const results = await Promise.all([totp.verify(sub, code), totp.verify(sub, code), totp.verify(sub, code)]);
      assert.deepEqual(results.sort(), ['ok', 'replayed', 'replayed'], 'parallel submissions of one code: exactly one wins');
      assert.equal(await totp.verify(sub, 'abcdef'), 'wrong');
      assert.equal(await totp.remove(sub), true);
      assert.equal(await totp.verify(sub, await codeAt(secret, clock + 30_000)), 'none');
    });

    test('at a step boundary: the code shown 29.9 s into its step is accepted just after, in the next step; two steps ago and a replay are refused', async () => {
      const STEP = 30_000;
      let at = T0 + 10 * STEP; // the start of a step
      const totp = createTotp(db, pii, { now: () => at });
      const sub = await account();
      const secret = (await totp.begin(sub, 'x')).setupKey.replace(/\s/g, '');
      assert.equal(await totp.confirm(sub, await codeAt(secret, at - STEP)), 'ok', 'enrolled with the step before');
      at += 29_900;
      const shown = await codeAt(secret, at); // on the phone for 0.1 s more
      at += 200; // typed and sent: the next step has begun
      assert.equal(await totp.verify(sub, await codeAt(secret, at - 2 * STEP)), 'wrong', 'two steps ago');
      assert.equal(await totp.verify(sub, shown), 'ok', 'the step just ended is still accepted');
      assert.equal(await totp.verify(sub, shown), 'replayed');
      assert.equal(await totp.verify(sub, await codeAt(secret, at)), 'ok', 'the new step');
      assert.equal(await totp.verify(sub, await codeAt(secret, at)), 'replayed', 'once per step');
      at += STEP - 100 - 1; // the last millisecond of that step
      assert.equal(await totp.verify(sub, shown), 'replayed', 'an older step after a newer one');
      at += 1; // the step after: what was shown is two steps old now
      assert.equal(await totp.verify(sub, shown), 'wrong');
    });

    test('ten distinct recovery codes, each once; a new set invalidates the old one; case and dashes do not matter', async () => {
      const sub = await account();
      const codes = createRecoveryCodes(db, pii);
      const first = await codes.generate(sub);
      assert.equal(new Set(first).size, 10);
      assert.ok(first.every((c) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(c)));
      const { rows } = await db.query<{ code_hash: Uint8Array }>('SELECT code_hash FROM recovery_codes WHERE sub = $1', [sub]);
      assert.ok(rows.every((r) => !Buffer.from(r.code_hash).toString('latin1').includes(first[0]!)));
      assert.equal(await codes.use(sub, first[0]!.toUpperCase().replace('-', '')), true);
      assert.equal(await codes.use(sub, first[0]!), false, 'used once');
      assert.equal(await codes.use(sub, 'zzzzz-zzzzz'), false);
      assert.equal(await codes.remaining(sub), 9);
      const other = await account();
      assert.equal(await codes.use(other, first[1]!), false, 'codes belong to their account');
      await codes.generate(sub);
      assert.equal(await codes.use(sub, first[1]!), false, 'the old set is gone');
      assert.equal(await codes.remaining(sub), 10);
    });
  });
}
