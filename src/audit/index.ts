// Audit events: who did what to whom, when and from where. Append-only (a trigger refuses changes).
import type { Queryable } from '../db/index.ts';

export interface AuditEvent {
  actor: string | null;
  action: string;
  subject?: string | null;
  clientAddress?: string | null;
  detail?: Record<string, unknown>;
}

export async function audit(q: Queryable, e: AuditEvent): Promise<void> {
  await q.query('INSERT INTO audit_events (actor, action, subject, client_address, detail) VALUES ($1, $2, $3, $4, $5)', [
    e.actor,
    e.action,
    e.subject ?? null,
    e.clientAddress ?? null,
    JSON.stringify(e.detail ?? {}),
  ]);
}
