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

export type ChainVerdict = { ok: true; events: number } | { ok: false; events: number; brokenAt: number; reason: 'hash' | 'link' | 'gap' };

/** Walks the hash chain in order; reports the first event whose hash, link or position is wrong. */
export async function verifyAuditChain(q: Queryable, batch = 5000): Promise<ChainVerdict> {
  let prevHash: Buffer | null = null;
  let expectedSeq = 1;
  let after = 0;
  for (;;) {
    const { rows } = await q.query<{ seq: string; prev_hash: Uint8Array | null; hash: Uint8Array; expected: Uint8Array }>(
      `SELECT seq, prev_hash, hash, audit_event_hash(prev_hash, id, at, actor, action, subject, client_address, detail) AS expected
       FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, batch],
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, events: expectedSeq - 1, brokenAt: expectedSeq, reason: 'gap' };
      const prev = r.prev_hash ? Buffer.from(r.prev_hash) : null;
      if ((prev === null) !== (prevHash === null) || (prev && prevHash && !prev.equals(prevHash))) return { ok: false, events: seq - 1, brokenAt: seq, reason: 'link' };
      if (!Buffer.from(r.hash).equals(Buffer.from(r.expected))) return { ok: false, events: seq - 1, brokenAt: seq, reason: 'hash' };
      prevHash = Buffer.from(r.hash);
      expectedSeq++;
      after = seq;
    }
    if (rows.length < batch) return { ok: true, events: expectedSeq - 1 };
  }
}

/** The latest events a person did or that were done to them, newest first (their activity page and data export). */
export async function activityOf(q: Queryable, sub: string, limit: number): Promise<Array<{ at: Date; action: string; detail: unknown }>> {
  const { rows } = await q.query<{ at: Date; action: string; detail: unknown }>(
    'SELECT at, action, detail FROM audit_events WHERE subject = $1 OR actor = $1 ORDER BY at DESC, id DESC LIMIT $2',
    [sub, limit],
  );
  return rows;
}
