// The audit log as an administrator reads it: filtered, paged by seq (keyset: a page is the events
// before a seq, newest first), exported as CSV (streamed in batches; the subject is the sub and any ID
// number in a detail is masked), and the hash chain's status, verified incrementally from the last
// checkpoint (a full walk on demand). Looking a person up by ID number needs a reason and is audited.
import type { Database } from '../../../kernel/db/index.ts';
import { audit, verifyAuditChainSince, type ChainCheckpoint, type ChainVerdict } from '../../../kernel/audit/index.ts';
import { maskPid } from '../../../kernel/pii/index.ts';
import { parseDay } from '../../../kernel/http/params.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import { AdminRefusal } from '../refusal.ts';

export class AuditLogError extends AdminRefusal {
  override name = 'AuditLogError';
  declare readonly status: 400 | 404;
  constructor(status: 400 | 404, message: string) {
    super(status, message);
  }
}

export interface AuditFilter {
  /** the sub acted on */
  subject?: string;
  actor?: string;
  /** an action, or its beginning (`client.` for every relying-party change) */
  action?: string;
  /** a unit's hcode in the detail (`unit` or `hcode`) */
  unit?: string;
  /** Bangkok days, YYYY-MM-DD, both included */
  from?: string;
  to?: string;
}

export interface AuditEntry {
  seq: number;
  at: Date;
  actor: string | null;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

export interface ChainStatus {
  verdict: ChainVerdict;
  /** when the chain was last verified, and whether that walk started from the first event */
  verifiedAt: Date;
  full: boolean;
  /** when a walk from the first event last ended well (the incremental ones build on it) */
  fullAt?: Date;
}

const FILTER_KEYS = ['subject', 'actor', 'action', 'unit', 'from', 'to'] as const;
const PID_LIKE = /\b\d{13}\b|\b\d-\d{4}-\d{5}-\d{2}-\d\b/g;

/** A filter from untrusted input (query or JSON): strings trimmed and bounded, days checked. */
export function auditFilterOf(input: Record<string, unknown>): AuditFilter {
  const f: AuditFilter = {};
  for (const k of FILTER_KEYS) {
    const v = input[k];
    if (typeof v === 'string' && v.trim()) f[k] = v.trim().slice(0, 100);
  }
  for (const k of ['from', 'to'] as const) if (f[k] && !parseDay(f[k])) throw new AuditLogError(400, `${k} must be a calendar day, YYYY-MM-DD`);
  if (f.unit && !/^\d{5}$/.test(f.unit)) throw new AuditLogError(400, 'unit must be a 5-digit hcode');
  return f;
}

/** A detail as it may leave the system: an ID number anywhere in it is masked. */
export function safeDetail(detail: unknown): Record<string, unknown> {
  const text = JSON.stringify(detail ?? {}).replace(PID_LIKE, (m) => maskPid(m.replace(/-/g, '')));
  return JSON.parse(text) as Record<string, unknown>;
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // a leading = + - @ would be a formula in a spreadsheet
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One page of the log, newest first: $1 before this seq, $2 subject, $3 actor, $4 action prefix (LIKE), $5 unit, $6–$7 Bangkok days, $8 rows. */
export const AUDIT_PAGE_SQL = `SELECT seq, at, actor, action, subject, detail FROM audit_events
  WHERE seq IS NOT NULL AND ($1::bigint IS NULL OR seq < $1)
    AND ($2::text IS NULL OR subject = $2) AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action LIKE $4)
    AND ($5::text IS NULL OR detail ->> 'unit' = $5 OR detail ->> 'hcode' = $5)
    AND ($6::date IS NULL OR at >= ($6::date)::timestamp AT TIME ZONE 'Asia/Bangkok')
    AND ($7::date IS NULL OR at < ($7::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')
  ORDER BY seq DESC LIMIT $8`;

export const CSV_HEADER = ['seq', 'at', 'actor', 'action', 'subject', 'unit', 'client_id', 'reason', 'detail'];

export function createAuditLog(deps: { db: Database; subByPid: (pid: string) => Promise<string | undefined>; normalizePid: (pid: string) => string | undefined; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  let checkpoint: ChainCheckpoint = { events: 0, hash: null };
  let last: ChainStatus | undefined;
  let fullAt: Date | undefined;

  async function page(f: AuditFilter, o: { before?: number; size: number }): Promise<{ items: AuditEntry[]; next?: number }> {
    const like = f.action ? `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const { rows } = await db.query<{ seq: string; at: Date; actor: string | null; action: string; subject: string | null; detail: Record<string, unknown> | null }>(
      AUDIT_PAGE_SQL,
      [o.before ?? null, f.subject ?? null, f.actor ?? null, like, f.unit ?? null, f.from ?? null, f.to ?? null, o.size + 1],
    );
    const items = rows.slice(0, o.size).map((r) => ({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail: r.detail ?? {} }));
    return { items, ...(rows.length > o.size ? { next: items[items.length - 1]!.seq } : {}) };
  }

  return {
    /** A page of events, newest first; `next` is the `before` of the following page. */
    page,

    /** The sub of the person with this ID number, for the subject filter: a reason is required, and the search is audited. */
    async subjectOf(actor: Actor, pid: string, reason: string, clientAddress?: string): Promise<string> {
      const normal = deps.normalizePid(pid);
      if (!normal) throw new AuditLogError(400, 'the ID number is not valid');
      if (!reason.trim()) throw new AuditLogError(400, 'a reason is required to search by ID number');
      const sub = await deps.subByPid(normal);
      await audit(db, { actor: actorId(actor), action: 'admin.audit_search', subject: sub ?? null, clientAddress, detail: { by_person: true, reason: reason.trim().slice(0, 200), found: Boolean(sub) } });
      if (!sub) throw new AuditLogError(404, 'no account with this ID number');
      return sub;
    },

    /** The CSV export: a header row, then every matching event, newest first, read in batches. Audited when it starts. */
    async *csv(actor: Actor, f: AuditFilter, clientAddress?: string): AsyncGenerator<string> {
      await audit(db, { actor: actorId(actor), action: 'admin.audit_exported', clientAddress, detail: { filter: { ...f } } });
      yield `${CSV_HEADER.join(',')}\r\n`;
      let before: number | undefined;
      for (;;) {
        const { items, next } = await page(f, { before, size: 1000 });
        let chunk = '';
        for (const e of items) {
          const d = safeDetail(e.detail);
          const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
          chunk += `${[e.seq, e.at.toISOString(), e.actor, e.action, e.subject, str(d.unit) || str(d.hcode), str(d.client_id), str(d.reason), d].map(csvCell).join(',')}\r\n`;
        }
        if (chunk) yield chunk;
        if (next === undefined) return;
        before = next;
      }
    },

    /** The chain's status, verifying only what was written since the last check (`full`: from the first event). */
    async chainStatus(o: { full?: boolean } = {}): Promise<ChainStatus> {
      const full = o.full === true || checkpoint.events === 0;
      const from = full ? { events: 0, hash: null } : checkpoint;
      const { verdict, checkpoint: next } = await verifyAuditChainSince(db, from);
      const at = now();
      if (verdict.ok) {
        checkpoint = next;
        if (full) fullAt = at;
      } else checkpoint = { events: 0, hash: null };
      last = { verdict, verifiedAt: at, full, ...(fullAt ? { fullAt } : {}) };
      return last;
    },

    /** The last status without verifying anything (undefined before the first check). */
    lastStatus: () => last,
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
