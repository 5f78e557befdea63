// Phone one-time codes on both databases: delivery through the test-zone outbox, single use, expiry,
// at most 5 tries, resend throttling and per-phone / per-address limits. And the outbox route.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dbTargets, migratedDatabase } from '../../helpers/db.ts';
import { migrate } from '../../../src/kernel/db/migrate.ts';
import { createPii } from '../../../src/kernel/pii/index.ts';
import { OutboxSmsGateway, type SmsGateway } from '../../../src/idp/sms/index.ts';
import { createPhoneOtp, DEFAULT_OTP_LIMITS } from '../../../src/idp/sms/otp.ts';
import { startTestServer, testDirs } from '../../helpers/server.ts';
import http from 'node:http';
import os from 'node:os';
import { mkdtempSync } from 'node:fs';
import { createApp } from '../../../src/idp/app.ts';
import { loadConfig } from '../../../src/idp/config.ts';
import { openPglite } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/http/log.ts';
import { ensureKeyring, signingJwks } from '../../../src/idp/oidc/keys.ts';

const pii = createPii(Buffer.alloc(32, 7));
const codeIn = (text: string) => text.match(/\b(\d{6})\b/)![1]!;

for (const target of dbTargets()) {
  describe(`phone one-time codes on ${target.name}`, () => {
    const t = migratedDatabase(target);
    let outbox: OutboxSmsGateway;

    before(() => {
      outbox = new OutboxSmsGateway(t.db, pii);
    });

    test('a code is delivered, accepted once, and only for its phone', async () => {
      const otp = createPhoneOtp(t.db, pii, outbox);
      const issued = await otp.issue('+66811111111', 'register', '10.0.0.1');
      assert.ok(issued.ok);
      const [message] = await outbox.messagesTo('+66811111111');
      const code = codeIn(message!.text);
      assert.equal(await otp.verify(issued.id, '+66822222222', code), 'unknown', 'another phone cannot use it');
      assert.equal(await otp.verify(issued.id, '+66811111111', code === '000000' ? '000001' : '000000'), 'wrong');
      assert.equal(await otp.verify(issued.id, '+66811111111', code), 'ok');
      assert.equal(await otp.verify(issued.id, '+66811111111', code), 'unknown', 'a code is accepted once');
      const { rows } = await t.db.query('SELECT code_hash FROM otp_codes WHERE id = $1', [issued.id]);
      assert.ok(!Buffer.from(rows[0]!.code_hash).toString('latin1').includes(code), 'only a hash is stored');
    });

    test('five tries at most, even with the right code after that', async () => {
      const otp = createPhoneOtp(t.db, pii, outbox);
      const issued = await otp.issue('+66833333333', 'register', '10.0.0.2');
      assert.ok(issued.ok);
      const code = codeIn((await outbox.messagesTo('+66833333333'))[0]!.text);
      const wrong = code === '999999' ? '999998' : '999999';
      for (let i = 0; i < 5; i++) assert.equal(await otp.verify(issued.id, '+66833333333', wrong), 'wrong');
      assert.equal(await otp.verify(issued.id, '+66833333333', code), 'too_many_tries');
    });

    test('a code is good for 5 minutes, then refused as expired (the clock moved, no waiting)', async () => {
      let clock = Date.UTC(2026, 10, 22, 3, 0, 0);
      const otp = createPhoneOtp(t.db, pii, outbox, DEFAULT_OTP_LIMITS, () => clock);
      // two codes sent at the same moment (two purposes): one is used at 5:00, the other just after
      const one = await otp.issue('+66844444444', 'register', '10.0.0.3');
      const other = await otp.issue('+66844444444', 'recover', '10.0.0.3');
      assert.ok(one.ok && other.ok);
      const [otherSms, oneSms] = await outbox.messagesTo('+66844444444');
      clock += 5 * 60_000;
      assert.equal(await otp.verify(one.id, '+66844444444', codeIn(oneSms!.text)), 'ok', 'at 5:00 still good');
      clock += 1;
      assert.equal(await otp.verify(other.id, '+66844444444', codeIn(otherSms!.text)), 'expired', 'a millisecond later, expired');
    });

    test('a resend for the same phone and purpose waits 60 seconds (by the clock)', async () => {
      let clock = Date.UTC(2026, 10, 22, 4, 0, 0);
      const otp = createPhoneOtp(t.db, pii, outbox, DEFAULT_OTP_LIMITS, () => clock);
      assert.ok((await otp.issue('+66845555555', 'register', '10.0.0.30')).ok);
      clock += 59_000;
      const soon = await otp.issue('+66845555555', 'register', '10.0.0.30');
      assert.deepEqual(soon, { ok: false, reason: 'resend_too_soon', retryAfter: 1 });
      clock += 1_000;
      assert.ok((await otp.issue('+66845555555', 'register', '10.0.0.30')).ok, 'after 60 s a new code is sent');
    });

    test('resends are throttled, and phones and addresses are limited per hour', async () => {
      const otp = createPhoneOtp(t.db, pii, outbox, { ...DEFAULT_OTP_LIMITS, resendSeconds: 60, perPhonePerHour: 2, perAddressPerHour: 3 });
      assert.ok((await otp.issue('+66855555555', 'register', '10.0.0.4')).ok);
      const again = await otp.issue('+66855555555', 'register', '10.0.0.4');
      assert.equal(again.ok, false);
      assert.equal(!again.ok && again.reason, 'resend_too_soon');
      assert.ok((await otp.issue('+66855555555', 'recover', '10.0.0.4')).ok, 'another purpose is not a resend');
      const third = await otp.issue('+66855555555', 'login', '10.0.0.4');
      assert.equal(!third.ok && third.reason, 'phone_limit');
      assert.ok((await otp.issue('+66866666666', 'register', '10.0.0.4')).ok);
      const fromSameAddress = await otp.issue('+66877777777', 'register', '10.0.0.4');
      assert.equal(!fromSameAddress.ok && fromSameAddress.reason, 'address_limit');
    });

    test('a gateway failure is reported, not hidden', async () => {
      const broken: SmsGateway = { send: async () => { throw new Error('down'); } };
      const result = await createPhoneOtp(t.db, pii, broken).issue('+66888888888', 'register', '10.0.0.5');
      assert.deepEqual(result, { ok: false, reason: 'sms_failed' });
    });

    test('GET /test-zone/sms lists a number’s messages newest first, and refuses a bad number', async () => {
      const server = await startTestServer(t.db);
      try {
        const { phoneOtp } = server.app();
        assert.ok((await phoneOtp.issue('+66899999999', 'register', '10.0.0.6')).ok);
        assert.ok((await phoneOtp.issue('+66899999999', 'recover', '10.0.0.6')).ok);
        const list = (await (await fetch(`${server.url}/test-zone/sms?to=%2B66899999999`)).json()) as Array<{ to: string; text: string }>;
        assert.equal(list.length, 2);
        assert.equal(list[0]!.to, '+66899999999');
        assert.match(list[0]!.text, /\d{6}/);
        const bad = await fetch(`${server.url}/test-zone/sms?to=12345`);
        assert.equal(bad.status, 400);
        assert.equal(((await bad.json()) as { error: string }).error, 'invalid_request');
      } finally {
        await server.close();
      }
    });
  });
}

test('the outbox route does not exist in the production zone', async () => {
  const dirs = testDirs();
  const keysDir = mkdtempSync(`${os.tmpdir()}/mpid-keys-`);
  const ring = ensureKeyring(keysDir).ring;
  const config = loadConfig({
    ...dirs,
    KEYS_DIR: keysDir,
    IDP_ZONE: 'production',
    ISSUER: 'http://localhost:3999',
    DATABASE_URL: 'postgres://unused@localhost/unused',
    IDP_COOKIE_KEYS: 'c'.repeat(32),
    IDP_PII_KEY: Buffer.alloc(32, 1).toString('base64'),
    SMS_GATEWAY_URL: 'https://sms.example/send',
    SMS_GATEWAY_USERNAME: 'mpid',
    SMS_GATEWAY_SECRET: 'a-long-shared-secret',
  });
  const db = await openPglite();
  await migrate(db);
  const app = createApp({ config, db, log: createLogger('silent'), jwks: signingJwks(ring) });
  const server = http.createServer(app.callback);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const res = await fetch(`http://127.0.0.1:${port}/test-zone/sms?to=%2B66899999999`, { headers: { accept: 'application/json' } });
  assert.equal(res.status, 404);
  server.close();
  await db.close();
});
