// Phone one-time codes: 6 digits, valid 5 minutes, stored only as a keyed hash, at most 5 tries,
// resend throttled, and limited per phone and per client address (decided under a lock per phone and
// per address, so parallel requests cannot pass the limits together). Delivery goes through SmsGateway.
// Every time is read from the clock (passed to the database), so tests move it instead of waiting.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import { SmsDeliveryError, type SmsGateway } from './index.ts';
import { count } from '../metrics.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import { otpSmsText, type OtpPurpose } from './messages.ts';

export type { OtpPurpose } from './messages.ts';

export interface OtpLimits {
  ttlSeconds: number;
  maxTries: number;
  resendSeconds: number;
  perPhonePerHour: number;
  perAddressPerHour: number;
}

export const DEFAULT_OTP_LIMITS: OtpLimits = { ttlSeconds: 300, maxTries: 5, resendSeconds: 60, perPhonePerHour: 5, perAddressPerHour: 30 };

export type IssueResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'resend_too_soon' | 'phone_limit' | 'address_limit'; retryAfter: number }
  | { ok: false; reason: 'sms_failed' };

export type VerifyResult = 'ok' | 'wrong' | 'expired' | 'too_many_tries' | 'unknown';

export function createPhoneOtp(db: Database, pii: Pii, sms: SmsGateway, limits: OtpLimits = DEFAULT_OTP_LIMITS, now: Clock = systemClock) {
  const hash = (id: string, code: string) => pii.index(`${id}:${code}`, 'otp');

  return {
    /** Sends a new code for purpose to an E.164 phone number, the SMS saying what it is for in the person's language. */
    async issue(phone: string, purpose: OtpPurpose, address: string, lang: Lang = 'th'): Promise<IssueResult> {
      const phoneIndex = pii.index(phone, 'phone');
      const addressIndex = pii.index(address, 'otp:address');
      const id = randomBytes(16).toString('base64url');
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const at = new Date(now());
      const refused = await db.tx(async (q): Promise<IssueResult | undefined> => {
        // one issue at a time per phone and per address (in that order), so parallel requests cannot all
        // pass the counts below and send a code each
        await q.query(`SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, 'hex'), 0))`, [phoneIndex]);
        await q.query(`SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, 'hex'), 0))`, [addressIndex]);
        const { rows } = await q.query<{ phone_count: number; address_count: number; last_ago: number | null }>(
          `SELECT
             (SELECT count(*)::int FROM otp_codes WHERE phone_index = $1 AND created_at > $4::timestamptz - interval '1 hour') AS phone_count,
             (SELECT count(*)::int FROM otp_codes WHERE address_index = $2 AND created_at > $4::timestamptz - interval '1 hour') AS address_count,
             (SELECT extract(epoch FROM $4::timestamptz - max(created_at))::float FROM otp_codes WHERE phone_index = $1 AND purpose = $3) AS last_ago`,
          [phoneIndex, addressIndex, purpose, at],
        );
        const r = rows[0]!;
        if (r.last_ago !== null && r.last_ago < limits.resendSeconds) {
          return { ok: false, reason: 'resend_too_soon', retryAfter: Math.ceil(limits.resendSeconds - r.last_ago) };
        }
        if (r.phone_count >= limits.perPhonePerHour) return { ok: false, reason: 'phone_limit', retryAfter: 3600 };
        if (r.address_count >= limits.perAddressPerHour) return { ok: false, reason: 'address_limit', retryAfter: 3600 };
        await q.query(
          `INSERT INTO otp_codes (id, phone_index, purpose, code_hash, address_index, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz + make_interval(secs => $7::int))`,
          [id, phoneIndex, purpose, hash(id, code), addressIndex, at, limits.ttlSeconds],
        );
        return undefined;
      });
      if (refused) {
        if (!refused.ok && refused.reason !== 'sms_failed') count.otp(purpose, refused.reason);
        return refused;
      }
      try {
        await sms.send(phone, otpSmsText(purpose, code, limits.ttlSeconds, lang));
      } catch (err) {
        count.otp(purpose, err instanceof SmsDeliveryError ? err.failure : 'gateway_error');
        return { ok: false, reason: 'sms_failed' };
      }
      count.otp(purpose, 'sent');
      return { ok: true, id };
    },

    /** Checks a code; each call counts as a try, and a code is accepted once. */
    async verify(id: string, phone: string, code: string): Promise<VerifyResult> {
      const at = new Date(now());
      const { rows } = await db.query<{ attempts: number; code_hash: Uint8Array; expired: boolean }>(
        `UPDATE otp_codes SET attempts = attempts + 1
         WHERE id = $1 AND phone_index = $2 AND used_at IS NULL
         RETURNING attempts, code_hash, expires_at < $3::timestamptz AS expired`,
        [id, pii.index(phone, 'phone'), at],
      );
      const r = rows[0];
      if (!r) return 'unknown';
      if (r.expired) return 'expired';
      if (r.attempts > limits.maxTries) return 'too_many_tries';
      if (!/^\d{6}$/.test(code) || !timingSafeEqual(Buffer.from(r.code_hash), hash(id, code))) return 'wrong';
      const used = await db.query('UPDATE otp_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL', [id, at]);
      return used.rowCount === 1 ? 'ok' : 'unknown';
    },
  };
}

export type PhoneOtp = ReturnType<typeof createPhoneOtp>;
