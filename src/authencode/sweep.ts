// Housekeeping: expired browser sessions, used card-read ids and card-read challenges past their
// expiry, spent rate-limit counters, and photos that no visit refers to (a confirmation refused after
// its photo was stored) once a day has passed.
import type { Queryable } from '../kernel/db/index.ts';

export async function sweepAuthencode(db: Queryable): Promise<void> {
  await db.query('DELETE FROM authencode.web_sessions WHERE expires_at < now()');
  await db.query('DELETE FROM authencode.card_read_uses WHERE expires_at < now()');
  await db.query('DELETE FROM authencode.card_read_challenges WHERE expires_at < now()');
  await db.query("DELETE FROM authencode.rate_limits WHERE window_start < now() - interval '2 days'");
  await db.query(
    `DELETE FROM authencode.evidence_photos p WHERE p.created_at < now() - interval '1 day'
       AND NOT EXISTS (SELECT 1 FROM authencode.visits v WHERE v.method = 'photo' AND v.evidence->>'photo_sha256' = p.sha256)`,
  );
}
