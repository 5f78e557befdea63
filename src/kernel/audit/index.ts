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

export type ChainVerdict =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: number; reason: 'hash' | 'link' | 'gap' | 'inserted' | 'unchained' };

const same = (a: Buffer | null, b: Buffer | null) => (a === null ? b === null : b !== null && a.equals(b));

/**
 * Walks the hash chain in order; reports the first event whose hash, link or position is wrong. An
 * event whose successor links past it to its predecessor was inserted; an event without a place in the
 * chain (written with the chain's trigger off) is named by the place its id gives it.
 */
export async function verifyAuditChain(q: Queryable, batch = 5000): Promise<ChainVerdict> {
  return withLooseEvents(q, await walkChain(q, batch, { events: 0, hash: null }));
}

/** Where a verification ended: the events found sound and the last one's hash (the next one links to it). */
export interface ChainCheckpoint {
  events: number;
  hash: Buffer | null;
}

/**
 * Verifies only the events after a checkpoint a previous verification returned (the checkpoint's own
 * event is read again: if its hash changed, the chain is broken there). Events before the checkpoint
 * are not re-read: a full verifyAuditChain does that. Also answers the next checkpoint.
 */
export async function verifyAuditChainSince(q: Queryable, from: ChainCheckpoint, batch = 5000): Promise<{ verdict: ChainVerdict; checkpoint: ChainCheckpoint }> {
  if (from.events > 0) {
    const { rows } = await q.query<{ hash: Uint8Array; expected: Uint8Array }>(
      'SELECT hash, audit_event_hash(prev_hash, id, at, actor, action, subject, client_address, detail) AS expected FROM audit_events WHERE seq = $1',
      [from.events],
    );
    const r = rows[0];
    if (!r || !from.hash || !Buffer.from(r.hash).equals(from.hash) || !Buffer.from(r.hash).equals(Buffer.from(r.expected))) {
      return { verdict: { ok: false, events: from.events - 1, brokenAt: from.events, reason: r ? 'hash' : 'gap' }, checkpoint: from };
    }
  }
  const verdict = await withLooseEvents(q, await walkChain(q, batch, from));
  if (!verdict.ok) return { verdict, checkpoint: from };
  const { rows } = await q.query<{ hash: Uint8Array }>('SELECT hash FROM audit_events WHERE seq = $1', [verdict.events]);
  return { verdict, checkpoint: { events: verdict.events, hash: rows[0] ? Buffer.from(rows[0].hash) : null } };
}

async function withLooseEvents(q: Queryable, chain: ChainVerdict): Promise<ChainVerdict> {
  const { rows } = await q.query<{ place: string }>(
    `SELECT (SELECT count(*) FROM audit_events c WHERE c.seq IS NOT NULL AND c.id < l.id) + 1 AS place
     FROM audit_events l WHERE l.seq IS NULL ORDER BY l.id LIMIT 1`,
  );
  const loose = rows[0] && Number(rows[0].place);
  if (loose && (chain.ok || loose < chain.brokenAt)) return { ok: false, events: loose - 1, brokenAt: loose, reason: 'unchained' };
  return chain;
}

async function walkChain(q: Queryable, batch: number, from: ChainCheckpoint): Promise<ChainVerdict> {
  let prevHash: Buffer | null = from.hash;
  let beforePrev: Buffer | null = null;
  let expectedSeq = from.events + 1;
  let after = from.events;
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
      if (!same(prev, prevHash)) {
        if (seq > 1 && same(prev, beforePrev)) return { ok: false, events: seq - 2, brokenAt: seq - 1, reason: 'inserted' };
        return { ok: false, events: seq - 1, brokenAt: seq, reason: 'link' };
      }
      if (!Buffer.from(r.hash).equals(Buffer.from(r.expected))) return { ok: false, events: seq - 1, brokenAt: seq, reason: 'hash' };
      beforePrev = prevHash;
      prevHash = Buffer.from(r.hash);
      expectedSeq++;
      after = seq;
    }
    if (rows.length < batch) return { ok: true, events: expectedSeq - 1 };
  }
}

/** The latest events a person did or that were done to them, newest first (their activity page and data export). */
export async function activityOf(q: Queryable, sub: string, limit: number): Promise<Array<{ at: Date; action: string; detail: unknown }>> {
  const { rows } = await q.query<{ at: Date; action: string; detail: unknown }>(ACTIVITY_SQL, [sub, limit]);
  return rows;
}

// The latest of each side, read down its own index, then merged: `subject = $1 OR actor = $1` would
// gather and sort every event of a busy member of staff to show the latest hundred.
export const ACTIVITY_SQL = `SELECT at, action, detail FROM audit_events WHERE id IN (
    (SELECT id FROM audit_events WHERE subject = $1 ORDER BY at DESC, id DESC LIMIT $2)
    UNION
    (SELECT id FROM audit_events WHERE actor = $1 ORDER BY at DESC, id DESC LIMIT $2)
  ) ORDER BY at DESC, id DESC LIMIT $2`;
