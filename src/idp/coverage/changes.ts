// The one hook the rest of the IdP calls when something a person counts for in the coverage figures may
// have changed (account created or deleted, phone verified, evidence recorded, revoked or superseded,
// personnel linked or unlinked): in the caller's transaction, so a change and its note commit together.
// The refresher (refresh.ts) recomputes noted people; nothing here reads accounts.
import type { Queryable } from '../../kernel/db/index.ts';

export async function noteCoverageChange(q: Queryable, sub: string): Promise<void> {
  await q.query(
    `INSERT INTO coverage_pending (sub) VALUES ($1)
     ON CONFLICT (sub) DO UPDATE SET version = coverage_pending.version + 1, noted_at = now()`,
    [sub],
  );
}
