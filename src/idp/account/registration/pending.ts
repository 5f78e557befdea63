// Registrations waiting for their phone to be proved. The form data (password already hashed) is
// kept encrypted for 30 minutes; the browser holds only the random id, in a signed cookie.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.ts';
import type { Pii } from '../../../kernel/pii/index.ts';
import type { UpstreamAssertion } from '../../upstream/index.ts';

export interface PendingRegistration {
  fields: {
    pid: string;
    title?: string;
    given_name: string;
    family_name: string;
    given_name_en?: string;
    family_name_en?: string;
    birthdate: string;
    phone_number: string;
  };
  passwordHash: string;
  privacyVersion: string;
  returnTo?: string;
  /** registering with ThaID: what it vouched for, recorded as evidence when the account is created */
  upstream?: UpstreamAssertion;
}

const TTL_SECONDS = 30 * 60;

export function createPendingRegistrations(db: Database, pii: Pii) {
  return {
    async add(reg: PendingRegistration, otpId: string): Promise<string> {
      const id = randomBytes(18).toString('base64url');
      await db.query(
        `INSERT INTO pending_registrations (id, data_cipher, otp_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))`,
        [id, pii.encrypt(JSON.stringify(reg), `registration:${id}`), otpId, TTL_SECONDS],
      );
      return id;
    },
    async get(id: string): Promise<(PendingRegistration & { otpId: string }) | undefined> {
      const { rows } = await db.query<{ data_cipher: string; otp_id: string }>(
        'SELECT data_cipher, otp_id FROM pending_registrations WHERE id = $1 AND expires_at > now()',
        [id],
      );
      const r = rows[0];
      return r && { ...(JSON.parse(pii.decrypt(r.data_cipher, `registration:${id}`)) as PendingRegistration), otpId: r.otp_id };
    },
    async setOtp(id: string, otpId: string): Promise<void> {
      await db.query('UPDATE pending_registrations SET otp_id = $2 WHERE id = $1', [id, otpId]);
    },
    async remove(id: string): Promise<void> {
      await db.query('DELETE FROM pending_registrations WHERE id = $1', [id]);
    },
  };
}

export type PendingRegistrations = ReturnType<typeof createPendingRegistrations>;
