// Expired short-lived rows (oidc-provider models, one-time codes, half-finished registrations, logins
// and recoveries, WebAuthn and card-read challenges, used card reads, upstream logins and their assertions), unused pairing codes a day past
// their expiry and spent rate-limit counters are deleted in bounded batches by every server process.
import type { Database } from '../kernel/db/index.ts';
import { sweepExpired } from './oidc/adapter.ts';

const EPHEMERAL = ['otp_codes', 'pending_registrations', 'login_progress', 'account_recoveries', 'webauthn_challenges', 'card_read_uses', 'card_read_challenges', 'upstream_logins'] as const;

export async function sweep(db: Database, batch = 5000): Promise<number> {
  let removed = await sweepExpired(db, batch);
  for (const table of EPHEMERAL) {
    // table names come from the constant list above, never from input
    const { rowCount } = await db.query(
      `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE expires_at < now() - interval '1 hour' LIMIT $1))`,
      [batch],
    );
    removed += rowCount;
  }
  // counters whose windows (a day at most) and locks are over
  const SPENT = [
    ['rate_limits', "window_start < now() - interval '2 days'"],
    ['card_agent_pairing_codes', "used_at IS NULL AND expires_at < now() - interval '1 day'"],
    ['login_throttle', "last_failure_at < now() - interval '2 days' AND (pending_since IS NULL OR pending_since < now() - interval '2 days') AND (locked_until IS NULL OR locked_until < now())"],
  ] as const;
  for (const [table, where] of SPENT) {
    const { rowCount } = await db.query(`DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $1))`, [batch]);
    removed += rowCount;
  }
  return removed;
}
