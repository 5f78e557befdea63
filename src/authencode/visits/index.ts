// Visits: a draft per person, unit and claim type, confirmed on the day of service with an Authen
// Code. The rule "one confirmed code per person, unit, claim type and day" is a unique index, so two
// confirmations racing each other cannot both win: the loser gets the winner's code back. "Today"
// is the Thai day of the clock (the service's, or a test's).
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { ClaimTypes } from '../claim_types.ts';
import { thaiDay } from '../../kernel/thai/time.ts';
import { parseUuid } from '../../kernel/http/params.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import { newClaimCode } from './claim_code.ts';
import { recordAudit } from '../audit.ts';
import { countConfirmation } from '../metrics.ts';

export type Method = 'card' | 'photo' | 'certification' | 'vouch' | 'self' | 'his';
export type Status = 'draft' | 'confirmed' | 'cancelled';

export interface VisitInput {
  pid: string;
  hcode: string;
  claimType: string;
  serviceAt: Date;
  hn?: string;
  mobiles: string[];
  method: Method;
  evidence?: Record<string, unknown>;
  correlationId?: string;
  /** who acts: `sub:<sub>` of a person, `client:<client_id>` of a hospital system */
  actor: string;
}

export interface Visit {
  id: string;
  pid: string;
  hcode: string;
  unitName: string;
  province: string;
  claimType: string;
  serviceAt: Date;
  serviceDay: string;
  hn: string | null;
  mobiles: string[];
  method: Method;
  evidence: Record<string, unknown>;
  correlationId: string;
  status: Status;
  claimCode: string | null;
  createdBy: string;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

/** A rule of the service that the request broke; `code` is stable for API clients, the texts are for people. */
export class VisitError extends Error {
  override name = 'VisitError';
  code: 'unknown_unit' | 'unknown_claim_type' | 'claim_type_not_valid' | 'not_service_day' | 'not_found' | 'not_draft' | 'not_confirmed' | 'no_mobile';
  constructor(code: VisitError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export type ConfirmResult = { visit: Visit; duplicate: false } | { visit: Visit; duplicate: true };

const PID = 'authencode.pid';
const MOBILE = 'authencode.mobile';
const CODE_ATTEMPTS = 5;

const SELECT = `SELECT v.id, v.pid_sealed, v.hcode, u.name_th AS unit_name, u.province, v.claim_type, v.service_at,
  to_char(v.service_day, 'YYYY-MM-DD') AS service_day, v.hn, v.mobile_sealed, v.method, v.evidence, v.correlation_id, v.status,
  v.claim_code, v.created_by, v.created_at, v.confirmed_at, v.cancelled_at, v.cancel_reason
  FROM authencode.visits v JOIN authencode.units u ON u.hcode = v.hcode`;

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

export interface SearchFilter {
  hcode: string;
  day?: string;
  pid?: string;
  claimType?: string;
  hn?: string;
  status?: Status;
  limit?: number;
  /** visits to skip (newest first), for a page of results */
  offset?: number;
}

export function createVisits(db: Database, pii: Pii, claimTypes: ClaimTypes, clock: Clock = systemClock) {
  const pidIndex = (pid: string) => pii.index(pid, PID);

  function toVisit(r: Record<string, any>): Visit {
    return {
      id: r.id,
      pid: pii.decrypt(r.pid_sealed, PID),
      hcode: r.hcode,
      unitName: r.unit_name,
      province: r.province,
      claimType: r.claim_type,
      serviceAt: new Date(r.service_at),
      serviceDay: r.service_day,
      hn: r.hn,
      mobiles: r.mobile_sealed ? pii.decrypt(r.mobile_sealed, MOBILE).split(',') : [],
      method: r.method,
      evidence: r.evidence,
      correlationId: r.correlation_id,
      status: r.status,
      claimCode: r.claim_code,
      createdBy: r.created_by,
      createdAt: new Date(r.created_at),
      confirmedAt: r.confirmed_at ? new Date(r.confirmed_at) : null,
      cancelledAt: r.cancelled_at ? new Date(r.cancelled_at) : null,
      cancelReason: r.cancel_reason,
    };
  }

  async function find(id: string, q: Queryable = db): Promise<Visit | undefined> {
    const uuid = parseUuid(id);
    if (!uuid) return undefined;
    const { rows } = await q.query(`${SELECT} WHERE v.id = $1`, [uuid]);
    return rows[0] && toVisit(rows[0]);
  }

  async function confirmedOn(pid: string, hcode: string, claimType: string, day: string): Promise<Visit | undefined> {
    const { rows } = await db.query(`${SELECT} WHERE v.pid_index = $1 AND v.hcode = $2 AND v.claim_type = $3 AND v.service_day = $4 AND v.status = 'confirmed'`, [pidIndex(pid), hcode, claimType, day]);
    return rows[0] && toVisit(rows[0]);
  }

  async function checkRules(input: Pick<VisitInput, 'hcode' | 'claimType' | 'serviceAt' | 'mobiles'>, q: Queryable = db) {
    const day = thaiDay(input.serviceAt);
    if (!claimTypes.get(input.claimType)) throw new VisitError('unknown_claim_type', `unknown claim type ${input.claimType}`);
    if (!claimTypes.isValidOn(input.claimType, day)) throw new VisitError('claim_type_not_valid', `claim type ${input.claimType} cannot be used on ${day}`);
    const { rows } = await q.query<{ name_th: string; province: string }>('SELECT name_th, province FROM authencode.units WHERE hcode = $1', [input.hcode]);
    if (!rows[0]) throw new VisitError('unknown_unit', `unknown service unit ${input.hcode}`);
    if (!input.mobiles.length) throw new VisitError('no_mobile', 'at least one mobile number is required');
    return { day, unit: rows[0] };
  }

  async function saveDraft(input: VisitInput): Promise<Visit> {
    const { day } = await checkRules(input);
    const id = randomUUID();
    await db.tx(async (q) => {
      await q.query(
        `INSERT INTO authencode.visits (id, pid_index, pid_sealed, hcode, claim_type, service_at, service_day, hn, mobile_sealed, method, evidence, correlation_id, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13)`,
        [id, pidIndex(input.pid), pii.encrypt(input.pid, PID), input.hcode, input.claimType, input.serviceAt, day, input.hn || null,
          pii.encrypt(input.mobiles.join(','), MOBILE), input.method, JSON.stringify(input.evidence ?? {}), input.correlationId ?? randomUUID(), input.actor],
      );
      await recordAudit(q, { actor: input.actor, action: 'visit.draft', visitId: id, detail: { hcode: input.hcode, claimType: input.claimType, method: input.method } });
    });
    return (await find(id))!;
  }

  /** Confirms a draft on its day of service; a second confirmation of the same person, unit, type and day gets the first code. */
  async function confirm(id: string, actor: string, now = new Date(clock())): Promise<ConfirmResult> {
    const draft = await find(id);
    if (!draft) throw new VisitError('not_found', 'no such visit');
    if (draft.status === 'confirmed') return { visit: draft, duplicate: true };
    if (draft.status !== 'draft') throw new VisitError('not_draft', 'this visit was cancelled');
    if (draft.serviceDay !== thaiDay(now)) throw new VisitError('not_service_day', `a visit is confirmed on its day of service (${draft.serviceDay})`);
    const prefix = claimTypes.get(draft.claimType)!.prefix;
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      try {
        const confirmed = await db.tx(async (q) => {
          const r = await q.query(
            `UPDATE authencode.visits SET status = 'confirmed', claim_code = $2, confirmed_at = now(), updated_at = now() WHERE id = $1 AND status = 'draft'`,
            [id, newClaimCode(prefix)],
          );
          if (!r.rowCount) return false;
          await recordAudit(q, { actor, action: 'visit.confirmed', visitId: id, detail: {} });
          return true;
        });
        const visit = (await find(id))!;
        if (!confirmed && visit.status !== 'confirmed') throw new VisitError('not_draft', 'this visit was cancelled');
        return { visit, duplicate: !confirmed };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const existing = await confirmedOn(draft.pid, draft.hcode, draft.claimType, draft.serviceDay);
        if (existing) return { visit: existing, duplicate: true };
        // otherwise the random code was taken: draw again
      }
    }
    throw new Error('could not allocate a unique Authen Code');
  }

  /** Draft and confirmation in one step (the agent's confirm-save without a draft, a citizen's own
   *  confirmation): one insert that either wins the day's slot or finds it taken. */
  async function confirmNew(input: VisitInput, now = new Date(clock())): Promise<ConfirmResult> {
    const { day, unit } = await checkRules(input);
    if (day !== thaiDay(now)) throw new VisitError('not_service_day', `a visit is confirmed on its day of service (${day})`);
    const prefix = claimTypes.get(input.claimType)!.prefix;
    const id = randomUUID();
    const correlationId = input.correlationId ?? randomUUID();
    const evidence = input.evidence ?? {};
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const claimCode = newClaimCode(prefix);
      try {
        const stamps = await db.tx(async (q) => {
          const r = await q.query<{ created_at: Date }>(
            `INSERT INTO authencode.visits (id, pid_index, pid_sealed, hcode, claim_type, service_at, service_day, hn, mobile_sealed, method, evidence, correlation_id, status, claim_code, created_by, confirmed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'confirmed', $13, $14, now())
             ON CONFLICT (pid_index, hcode, claim_type, service_day) WHERE status = 'confirmed' DO NOTHING
             RETURNING created_at`,
            [id, pidIndex(input.pid), pii.encrypt(input.pid, PID), input.hcode, input.claimType, input.serviceAt, day, input.hn || null,
              pii.encrypt(input.mobiles.join(','), MOBILE), input.method, JSON.stringify(evidence), correlationId, claimCode, input.actor],
          );
          if (!r.rows[0]) return undefined;
          await recordAudit(q, { actor: input.actor, action: 'visit.confirmed', visitId: id, detail: { hcode: input.hcode, claimType: input.claimType, method: input.method } });
          return r.rows[0];
        });
        if (!stamps) {
          const existing = await confirmedOn(input.pid, input.hcode, input.claimType, day);
          if (existing) return { visit: existing, duplicate: true };
          continue; // the day's visit was cancelled in between: try again
        }
        const at = new Date(stamps.created_at);
        return {
          duplicate: false,
          visit: {
            id, pid: input.pid, hcode: input.hcode, unitName: unit.name_th, province: unit.province, claimType: input.claimType, serviceAt: input.serviceAt,
            serviceDay: day, hn: input.hn || null, mobiles: input.mobiles, method: input.method, evidence, correlationId, status: 'confirmed', claimCode,
            createdBy: input.actor, createdAt: at, confirmedAt: at, cancelledAt: null, cancelReason: null,
          },
        };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // the random code was taken: draw again
      }
    }
    throw new Error('could not allocate a unique Authen Code');
  }

  /** The person's draft at this unit with this correlation id and claim type (the agent sends the id from its card read). */
  async function draftByCorrelation(pid: string, hcode: string, claimType: string, correlationId: string): Promise<Visit | undefined> {
    const { rows } = await db.query(
      `${SELECT} WHERE v.pid_index = $1 AND v.hcode = $2 AND v.claim_type = $3 AND v.correlation_id = $4 AND v.status = 'draft' ORDER BY v.created_at DESC LIMIT 1`,
      [pidIndex(pid), hcode, claimType, correlationId],
    );
    return rows[0] && toVisit(rows[0]);
  }

  /** Confirmed codes of a person, newest first (optionally at one unit). */
  async function history(pid: string, opts: { hcode?: string; limit?: number } = {}): Promise<Visit[]> {
    const { rows } = await db.query(
      `${SELECT} WHERE v.pid_index = $1 AND v.status = 'confirmed' AND ($2::text IS NULL OR v.hcode = $2) ORDER BY v.confirmed_at DESC LIMIT $3`,
      [pidIndex(pid), opts.hcode ?? null, opts.limit ?? 100],
    );
    return rows.map(toVisit);
  }

  async function search(f: SearchFilter): Promise<Visit[]> {
    const { rows } = await db.query(
      `${SELECT} WHERE v.hcode = $1 AND ($2::date IS NULL OR v.service_day = $2) AND ($3::bytea IS NULL OR v.pid_index = $3)
         AND ($4::text IS NULL OR v.claim_type = $4) AND ($5::text IS NULL OR v.hn = $5) AND ($6::text IS NULL OR v.status = $6)
       ORDER BY v.service_at DESC, v.id DESC LIMIT $7 OFFSET $8`,
      [f.hcode, f.day ?? null, f.pid ? pidIndex(f.pid) : null, f.claimType ?? null, f.hn ?? null, f.status ?? null, f.limit ?? 200, f.offset ?? 0],
    );
    return rows.map(toVisit);
  }

  /** Corrects what staff may correct after confirmation (HN, phones); the change and its reason are audited. */
  async function edit(id: string, change: { hn?: string; mobiles?: string[] }, actor: string, reason: string): Promise<Visit> {
    const before = await find(id);
    if (!before) throw new VisitError('not_found', 'no such visit');
    if (before.status === 'cancelled') throw new VisitError('not_confirmed', 'a cancelled visit cannot be edited');
    if (change.mobiles && !change.mobiles.length) throw new VisitError('no_mobile', 'at least one mobile number is required');
    await db.tx(async (q) => {
      await q.query('UPDATE authencode.visits SET hn = $2, mobile_sealed = $3, updated_at = now() WHERE id = $1', [
        id,
        change.hn !== undefined ? change.hn || null : before.hn,
        pii.encrypt((change.mobiles ?? before.mobiles).join(','), MOBILE),
      ]);
      const changed = [...(change.hn !== undefined && (change.hn || null) !== before.hn ? ['hn'] : []), ...(change.mobiles && change.mobiles.join(',') !== before.mobiles.join(',') ? ['mobiles'] : [])];
      await recordAudit(q, { actor, action: 'visit.edited', visitId: id, detail: { changed, reason } });
    });
    return (await find(id))!;
  }

  /** Cancels a confirmed visit: a soft delete that keeps the row, who, when and why. */
  async function cancel(id: string, actor: string, reason: string): Promise<Visit> {
    const done = await db.tx(async (q) => {
      const r = await q.query(
        `UPDATE authencode.visits SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, cancel_reason = $3, updated_at = now() WHERE id = $1 AND status = 'confirmed'`,
        [id, actor, reason],
      );
      if (r.rowCount) await recordAudit(q, { actor, action: 'visit.cancelled', visitId: id, detail: { reason } });
      return r.rowCount === 1;
    });
    if (!done) {
      const visit = await find(id);
      throw visit ? new VisitError('not_confirmed', 'only a confirmed visit can be cancelled') : new VisitError('not_found', 'no such visit');
    }
    return (await find(id))!;
  }

  /** How many visits this actor confirmed for other people (vouched) on a Thai day. */
  async function vouchedOn(actor: string, day: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM authencode.visits WHERE created_by = $1 AND service_day = $2 AND method = 'vouch'", [actor, day]);
    return rows[0]!.n;
  }

  // each confirmation is counted (metrics.ts), a new code or the day's existing one
  const counted = <A extends unknown[]>(fn: (...args: A) => Promise<ConfirmResult>) => async (...args: A) => {
    const result = await fn(...args);
    countConfirmation(result);
    return result;
  };
  return { saveDraft, confirm: counted(confirm), confirmNew: counted(confirmNew), draftByCorrelation, find, history, search, edit, cancel, confirmedOn, vouchedOn };
}

export type Visits = ReturnType<typeof createVisits>;
