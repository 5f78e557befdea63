// Housekeeping: expired browser sessions, used card-read ids and card-read challenges past their
// expiry, spent rate-limit counters, and photos that no visit refers to (a confirmation refused after
// its photo was stored) once a day has passed. A day-old photo a visit refers to is marked kept, and
// never read again: visits are never deleted, so it stays referred to.
import type { Queryable } from '../kernel/db/index.ts';

// Day-old photos not yet found referred to (the partial index evidence_photos_undecided), a batch a
// sweep; each is then looked up among the visits by its digest.
const UNDECIDED = `SELECT sha256 FROM authencode.evidence_photos WHERE NOT kept AND created_at < now() - interval '1 day' LIMIT 10000`;
const REFERRED_TO = `EXISTS (SELECT 1 FROM authencode.visits v WHERE v.method = 'photo' AND v.evidence->>'photo_sha256' = p.sha256)`;
export const KEEP_REFERRED_PHOTOS_SQL = `UPDATE authencode.evidence_photos p SET kept = true FROM (${UNDECIDED}) u WHERE p.sha256 = u.sha256 AND ${REFERRED_TO}`;
export const DROP_UNREFERRED_PHOTOS_SQL = `DELETE FROM authencode.evidence_photos p USING (${UNDECIDED}) u WHERE p.sha256 = u.sha256 AND NOT ${REFERRED_TO}`;

export async function sweepAuthencode(db: Queryable): Promise<void> {
  await db.query('DELETE FROM authencode.web_sessions WHERE expires_at < now()');
  await db.query('DELETE FROM authencode.card_read_uses WHERE expires_at < now()');
  await db.query('DELETE FROM authencode.card_read_challenges WHERE expires_at < now()');
  await db.query("DELETE FROM authencode.rate_limits WHERE window_start < now() - interval '2 days'");
  await db.query(KEEP_REFERRED_PHOTOS_SQL);
  await db.query(DROP_UNREFERRED_PHOTOS_SQL);
}
