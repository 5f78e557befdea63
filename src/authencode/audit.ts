// The service's append-only audit record: who did what to which visit, and why.
import type { Queryable } from '../kernel/db/index.ts';

export async function recordAudit(q: Queryable, e: { actor: string; action: string; visitId?: string; detail?: Record<string, unknown> }): Promise<void> {
  await q.query('INSERT INTO authencode.audit_events (actor, action, visit_id, detail) VALUES ($1, $2, $3, $4)', [e.actor, e.action, e.visitId ?? null, JSON.stringify(e.detail ?? {})]);
}

export async function auditOf(q: Queryable, visitId: string): Promise<Array<{ at: Date; actor: string; action: string; detail: Record<string, unknown> }>> {
  const { rows } = await q.query<{ at: Date; actor: string; action: string; detail: Record<string, unknown> }>(
    'SELECT at, actor, action, detail FROM authencode.audit_events WHERE visit_id = $1 ORDER BY id',
    [visitId],
  );
  return rows;
}
