// What a person has proved so far in one login interaction: the account and the factors passed.
// Bound to the interaction's uid, which oidc-provider binds to the browser's interaction cookie.
import type { Database } from '../../kernel/db/index.ts';
import type { Factor } from '../oidc/acr.ts';

export interface LoginProgress {
  sub: string;
  factors: Factor[];
  smsOtpId: string | null;
}

const TTL_SECONDS = 15 * 60;

export function createLoginProgress(db: Database) {
  return {
    async get(uid: string): Promise<LoginProgress | undefined> {
      const { rows } = await db.query<{ sub: string; factors: Factor[]; sms_otp_id: string | null }>(
        'SELECT sub, factors, sms_otp_id FROM login_progress WHERE uid = $1 AND expires_at > now()',
        [uid],
      );
      const r = rows[0];
      return r && { sub: r.sub, factors: r.factors, smsOtpId: r.sms_otp_id };
    },

    /** Keeps the factors passed, with any another request of this interaction kept meanwhile. Factors
     *  for another account start the progress afresh. */
    async save(uid: string, sub: string, factors: Factor[]): Promise<LoginProgress> {
      const { rows } = await db.query<{ factors: Factor[]; sms_otp_id: string | null }>(
        `INSERT INTO login_progress (uid, sub, factors, expires_at)
         VALUES ($1, $2, $3::text[], now() + make_interval(secs => $4::int))
         ON CONFLICT (uid) DO UPDATE SET
           factors = CASE WHEN login_progress.sub = EXCLUDED.sub AND login_progress.expires_at > now()
                          THEN array(SELECT DISTINCT unnest(login_progress.factors || EXCLUDED.factors))
                          ELSE EXCLUDED.factors END,
           sub = EXCLUDED.sub,
           sms_otp_id = CASE WHEN login_progress.sub = EXCLUDED.sub THEN login_progress.sms_otp_id END,
           expires_at = EXCLUDED.expires_at
         RETURNING factors, sms_otp_id`,
        [uid, sub, factors, TTL_SECONDS],
      );
      return { sub, factors: rows[0]!.factors, smsOtpId: rows[0]!.sms_otp_id };
    },

    /** Starts from factors already proved by the current session (a step-up keeps them). */
    async seed(uid: string, sub: string, factors: Factor[]): Promise<void> {
      await db.query(
        `INSERT INTO login_progress (uid, sub, factors, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))
         ON CONFLICT (uid) DO NOTHING`,
        [uid, sub, factors, TTL_SECONDS],
      );
    },

    async setSmsOtp(uid: string, otpId: string): Promise<void> {
      await db.query('UPDATE login_progress SET sms_otp_id = $2 WHERE uid = $1', [uid, otpId]);
    },

    async clear(uid: string): Promise<void> {
      await db.query('DELETE FROM login_progress WHERE uid = $1', [uid]);
    },
  };
}

export type LoginProgressStore = ReturnType<typeof createLoginProgress>;
