// Accounts: creation, lookup and password authentication; the only code that queries `accounts`.
// The national ID number and phone number are stored encrypted with blind indexes (see kernel/pii);
// sub is random and never the ID number.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { PasswordHasher } from '../authenticators/password/hash.ts';
import { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
import { normalizeThaiMobile } from '../../kernel/thai/phone.ts';
import { audit } from '../../kernel/audit/index.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import { noteCoverageChange } from '../coverage/changes.ts';

export { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
export { normalizeThaiMobile } from '../../kernel/thai/phone.ts';
export { createPasswordHasher, type PasswordHasher } from '../authenticators/password/hash.ts';

const name = (what: string) => z.string().trim().min(1, `${what} is required`).max(100, `${what} is too long`);

export const newAccountSchema = z.object({
  pid: z
    .string()
    .transform((v, ctx) => {
      const pid = normalizePid(v);
      if (!pid) ctx.addIssue({ code: 'custom', message: 'pid must be 13 digits' });
      else if (!isValidPid(pid)) ctx.addIssue({ code: 'custom', message: 'pid check digit is wrong' });
      return pid ?? '';
    }),
  title: z.string().trim().max(40).optional(),
  given_name: name('given_name'),
  family_name: name('family_name'),
  given_name_en: name('given_name_en').optional(),
  family_name_en: name('family_name_en').optional(),
  birthdate: z.iso.date('birthdate must be an ISO date (YYYY-MM-DD)').refine((d) => new Date(d) <= new Date(), 'birthdate is in the future'),
  phone_number: z.string().transform((v, ctx) => {
    const e164 = normalizeThaiMobile(v);
    if (!e164) ctx.addIssue({ code: 'custom', message: 'phone_number must be a Thai mobile number (08x-xxx-xxxx or +668xxxxxxxx)' });
    return e164 ?? '';
  }),
  phone_verified: z.boolean().optional().default(false),
  password: z.string().min(8, 'password must be at least 8 characters').max(256, 'password is too long'),
});
export type NewAccount = z.input<typeof newAccountSchema>;

export interface Account {
  sub: string;
  pid: string;
  title: string | null;
  givenName: string;
  familyName: string;
  givenNameEn: string | null;
  familyNameEn: string | null;
  birthdate: string;
  phoneNumber: string | null;
  phoneVerified: boolean;
}

/** The account's identity attributes, as on the ID card: what proofing evidence can vouch for (each
 *  method declares which it checked) and what is then locked while that evidence stands. */
export const IDENTITY_ATTRIBUTES = ['pid', 'title', 'given_name', 'family_name', 'given_name_en', 'family_name_en', 'birthdate'] as const;
export type IdentityAttribute = (typeof IDENTITY_ATTRIBUTES)[number];

/** The names a person keeps on their profile: Thai title and names, English names. */
export interface Names {
  title?: string;
  given_name: string;
  family_name: string;
  given_name_en?: string;
  family_name_en?: string;
}

const asOnCard = (v: string | null | undefined) => (v ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

export const DELETION_STATUSES = ['pending', 'done', 'refused'] as const;
export type DeletionStatus = (typeof DELETION_STATUSES)[number];
const DELETION_COLUMNS = 'id, sub, reason, requested_at, status, decided_at, decided_by, decision_reason, outcome';
const DELETION_REQUESTS_SHOWN = 500;
const newestWith = (status: DeletionStatus) =>
  `(SELECT ${DELETION_COLUMNS} FROM deletion_requests WHERE status = '${status}' AND ($1::text IS NULL OR $1 = '${status}') ORDER BY requested_at DESC LIMIT $2)`;
/**
 * The console's list ($1: a status or null for all; $2: how many), pending first, then the newest. Each
 * status is read newest first down deletion_requests_status and at most $2 of each are sorted, however
 * many requests the years have gathered; a status not asked for is not read at all.
 */
export const DELETION_REQUESTS_SQL = `SELECT ${DELETION_COLUMNS} FROM (${DELETION_STATUSES.map(newestWith).join(' UNION ALL ')}) r
  ORDER BY (status = 'pending') DESC, requested_at DESC LIMIT $2`;
const DELETION_REQUEST_SQL = `SELECT ${DELETION_COLUMNS} FROM deletion_requests WHERE id = $1`;

/** The identity attributes these names would change (compared as written: NFC, spaces folded, empty = none). */
export function changedAttributes(a: Account, n: Names): IdentityAttribute[] {
  const now: Record<keyof Names, string | null> = { title: a.title, given_name: a.givenName, family_name: a.familyName, given_name_en: a.givenNameEn, family_name_en: a.familyNameEn };
  return (Object.keys(now) as Array<keyof Names>).filter((k) => asOnCard(now[k]) !== asOnCard(n[k]));
}

/** A piece of unrevoked evidence vouching for some identity attributes, named for the person. */
export interface Verification {
  evidence: number;
  method: string;
  label(lang: Lang): string;
}
export type VouchedFor = Partial<Record<IdentityAttribute, Verification[]>>;
export type NamesChange = { saved: true; changed: IdentityAttribute[]; dropped: Verification[] } | { saved: false; locked: VouchedFor };

/**
 * The lock on verified identity data, implemented by proofing (verified_attributes.ts) and handed to
 * the account pages by app.ts: what is vouched for, and the one way names change.
 */
export interface IdentityLock {
  vouchedFor(sub: string): Promise<VouchedFor>;
  /** Refuses a change of a vouched-for attribute, unless dropVerification: then saves it and supersedes that evidence. */
  changeNames(sub: string, names: Names, opts: { dropVerification: boolean; actor: string }): Promise<NamesChange>;
}

export class DuplicateAccountError extends Error {
  override name = 'DuplicateAccountError';
}

type AccountRow = {
  sub: string;
  pid_cipher: string;
  title_th: string | null;
  given_name_th: string;
  family_name_th: string;
  given_name_en: string | null;
  family_name_en: string | null;
  birthdate: string | Date;
  phone_cipher: string | null;
  phone_verified: boolean;
  password_hash: string | null;
};

const COLUMNS = `sub, pid_cipher, title_th, given_name_th, family_name_th, given_name_en, family_name_en,
  to_char(birthdate, 'YYYY-MM-DD') AS birthdate, phone_cipher, phone_verified, password_hash`;

/** The sub of the account holding this ID number; q may be the caller's transaction. */
export async function accountSubByPid(q: Queryable, pii: Pii, pid: string): Promise<string | undefined> {
  const { rows } = await q.query<{ sub: string }>('SELECT sub FROM accounts WHERE pid_index = $1', [pii.index(pid, 'pid')]);
  return rows[0]?.sub;
}

/** Whether the account's phone number is proved (the IAL's first check); undefined without such an account. */
export async function phoneVerified(q: Queryable, sub: string): Promise<boolean | undefined> {
  const { rows } = await q.query<{ phone_verified: boolean }>('SELECT phone_verified FROM accounts WHERE sub = $1', [sub]);
  return rows[0]?.phone_verified;
}

export function createAccounts(db: Database, pii: Pii, hasher: PasswordHasher) {
  const fromRow = (r: AccountRow): Account => ({
    sub: r.sub,
    pid: pii.decrypt(r.pid_cipher, 'pid'),
    title: r.title_th,
    givenName: r.given_name_th,
    familyName: r.family_name_th,
    givenNameEn: r.given_name_en,
    familyNameEn: r.family_name_en,
    birthdate: String(r.birthdate),
    phoneNumber: r.phone_cipher ? pii.decrypt(r.phone_cipher, 'phone') : null,
    phoneVerified: r.phone_verified,
  });

  async function insert(a: Omit<z.output<typeof newAccountSchema>, 'password'>, passwordHash: string, actor: string | null, privacyVersion?: string, then?: (q: Queryable, sub: string) => Promise<void>) {
    const sub = randomBytes(16).toString('base64url');
    try {
      await db.tx(async (q) => {
        await q.query(
          `INSERT INTO accounts (sub, pid_index, pid_cipher, title_th, given_name_th, family_name_th, given_name_en,
             family_name_en, birthdate, phone_cipher, phone_index, phone_verified, password_hash, password_changed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())`,
          [
            sub,
            pii.index(a.pid, 'pid'),
            pii.encrypt(a.pid, 'pid'),
            a.title || null,
            a.given_name,
            a.family_name,
            a.given_name_en || null,
            a.family_name_en || null,
            a.birthdate,
            pii.encrypt(a.phone_number, 'phone'),
            pii.index(a.phone_number, 'phone'),
            a.phone_verified,
            passwordHash,
          ],
        );
        if (privacyVersion) await q.query('INSERT INTO privacy_consents (sub, version) VALUES ($1, $2)', [sub, privacyVersion]);
        // a self-registered account is created by its owner
        await audit(q, { actor: privacyVersion ? sub : actor, action: 'account.created', subject: sub, detail: privacyVersion ? { privacy_notice: privacyVersion } : {} });
        await then?.(q, sub);
        await noteCoverageChange(q, sub);
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new DuplicateAccountError('an account with this national ID number already exists');
      throw err;
    }
    return { sub };
  }

  async function byPidRow(q: Queryable, pid: string): Promise<AccountRow | undefined> {
    const { rows } = await q.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE pid_index = $1`, [pii.index(pid, 'pid')]);
    return rows[0];
  }

  return {
    /** Validates and creates; throws ZodError on bad input and DuplicateAccountError if the ID number exists. */
    async create(input: unknown, actor: string | null = null): Promise<{ sub: string }> {
      const a = newAccountSchema.parse(input);
      return insert(a, await hasher.hash(a.password), actor);
    },

    /**
     * Creates an account whose password was hashed earlier (self-registration, after the phone is proved);
     * `then` runs in the same transaction (the evidence of a registration with a digital ID).
     */
    async createRegistered(input: unknown, passwordHash: string, privacyVersion: string, then?: (q: Queryable, sub: string) => Promise<void>): Promise<{ sub: string }> {
      const a = newAccountSchema.omit({ password: true }).parse(input);
      return insert(a, passwordHash, null, privacyVersion, then);
    },

    /** The account holding this ID number, if it has this phone number (the caller has proved the phone). */
    async phoneMatches(pid: string, phone: string): Promise<boolean> {
      const { rows } = await db.query('SELECT 1 FROM accounts WHERE pid_index = $1 AND phone_index = $2', [pii.index(pid, 'pid'), pii.index(phone, 'phone')]);
      return rows.length > 0;
    },

    async findBySub(sub: string): Promise<Account | undefined> {
      const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE sub = $1`, [sub]);
      return rows[0] && fromRow(rows[0]);
    },

    /** The account unless a deletion request anonymised it (for what counts people: coverage). */
    async findLiveBySub(sub: string): Promise<Account | undefined> {
      const { rows } = await db.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE sub = $1 AND deleted_at IS NULL`, [sub]);
      return rows[0] && fromRow(rows[0]);
    },

    async findByPid(pid: string): Promise<Account | undefined> {
      const row = await byPidRow(db, pid);
      return row && fromRow(row);
    },

    /** The sub alone, without decrypting anything (audit searches, the operator's CLI). */
    subByPid(pid: string): Promise<string | undefined> {
      return accountSubByPid(db, pii, pid);
    },

    /** The account, its row locked until q's transaction ends (a change of identity data reads it so). */
    async forUpdate(q: Queryable, sub: string): Promise<Account | undefined> {
      const { rows } = await q.query<AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE sub = $1 FOR UPDATE`, [sub]);
      return rows[0] && fromRow(rows[0]);
    },

    /**
     * Writes the names in q's transaction. Only proofing's IdentityLock calls this: names that evidence
     * vouches for change only through it (README, "Verified identity data").
     */
    async updateNames(q: Queryable, sub: string, n: Names, by: { actor: string; detail?: Record<string, unknown> }): Promise<void> {
      await q.query(
        `UPDATE accounts SET title_th = $2, given_name_th = $3, family_name_th = $4, given_name_en = $5, family_name_en = $6, updated_at = now() WHERE sub = $1`,
        [sub, n.title || null, n.given_name, n.family_name, n.given_name_en || null, n.family_name_en || null],
      );
      await audit(q, { actor: by.actor, action: 'profile.updated', subject: sub, detail: by.detail ?? {} });
    },

    /** Stores a phone number the person has just proved with a one-time code. */
    async setVerifiedPhone(sub: string, phone: string): Promise<void> {
      await db.tx(async (q) => {
        await q.query('UPDATE accounts SET phone_cipher = $2, phone_index = $3, phone_verified = true, updated_at = now() WHERE sub = $1', [
          sub,
          pii.encrypt(phone, 'phone'),
          pii.index(phone, 'phone'),
        ]);
        await audit(q, { actor: sub, action: 'phone.changed', subject: sub });
        await noteCoverageChange(q, sub);
      });
    },

    /** Replaces the password (already checked against the policy and hashed). */
    async setPasswordHash(q: Queryable, sub: string, passwordHash: string): Promise<void> {
      await q.query('UPDATE accounts SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE sub = $1', [sub, passwordHash]);
    },

    /** The privacy notices the person accepted and the deletions they asked for, oldest first (their data export). */
    async privacyRecords(sub: string): Promise<{ consents: Array<{ version: string; accepted_at: Date }>; deletionRequests: Array<{ requested_at: Date; status: string; reason: string }> }> {
      const [consents, deletion] = await Promise.all([
        db.query<{ version: string; accepted_at: Date }>('SELECT version, accepted_at FROM privacy_consents WHERE sub = $1 ORDER BY accepted_at', [sub]),
        db.query<{ requested_at: Date; status: string; reason: string }>('SELECT requested_at, status, reason FROM deletion_requests WHERE sub = $1 ORDER BY requested_at', [sub]),
      ]);
      return { consents: consents.rows, deletionRequests: deletion.rows };
    },

    /** Records the person's request to delete their account, for an administrator to decide. */
    async requestDeletion(sub: string, reason: string, clientAddress: string): Promise<void> {
      await db.tx(async (q) => {
        await q.query('INSERT INTO deletion_requests (sub, reason) VALUES ($1, $2)', [sub, reason]);
        await audit(q, { actor: sub, action: 'deletion.requested', subject: sub, clientAddress });
      });
    },

    /** Deletion requests for an administrator, pending first, then the newest. */
    async deletionRequests(o: { status?: string; id?: number } = {}): Promise<DeletionRequest[]> {
      const { rows } = await db.query<{ id: string; sub: string; reason: string; requested_at: Date; status: DeletionRequest['status']; decided_at: Date | null; decided_by: string | null; decision_reason: string | null; outcome: Record<string, unknown> | null }>(
        o.id === undefined ? DELETION_REQUESTS_SQL : DELETION_REQUEST_SQL,
        o.id === undefined ? [o.status ?? null, DELETION_REQUESTS_SHOWN] : [o.id],
      );
      return rows.map((r) => ({ id: Number(r.id), sub: r.sub, reason: r.reason, requestedAt: r.requested_at, status: r.status, decidedAt: r.decided_at, decidedBy: r.decided_by, decisionReason: r.decision_reason, outcome: r.outcome }));
    },

    /** Records the decision on a pending request in q's transaction; false when it was decided already. */
    async decideDeletion(q: Queryable, id: number, d: { status: 'done' | 'refused'; by: string; reason: string; outcome?: Record<string, unknown> }): Promise<boolean> {
      const { rowCount } = await q.query(
        `UPDATE deletion_requests SET status = $2, decided_at = now(), decided_by = $3, decision_reason = $4, outcome = $5 WHERE id = $1 AND status = 'pending'`,
        [id, d.status, d.by, d.reason, d.outcome ? JSON.stringify(d.outcome) : null],
      );
      return rowCount === 1;
    },

    /**
     * Anonymises the account in q's transaction (a deletion request carried out): names, phone, birth
     * date and password go; the ID number is kept only as a keyed hash under its own context (not
     * reversible, no longer found at login or registration, so the person may register again), so an
     * auditor holding an ID number can still link it to the evidence and audit events the law keeps.
     */
    async anonymise(q: Queryable, sub: string): Promise<void> {
      const { rows } = await q.query<{ pid_cipher: string }>('SELECT pid_cipher FROM accounts WHERE sub = $1 AND deleted_at IS NULL FOR UPDATE', [sub]);
      if (!rows[0]) return;
      const pid = pii.decrypt(rows[0].pid_cipher, 'pid');
      await q.query(
        `UPDATE accounts SET pid_index = $2, pid_cipher = $3, title_th = NULL, given_name_th = '-', family_name_th = '-', given_name_en = NULL, family_name_en = NULL,
           birthdate = DATE '1900-01-01', phone_cipher = NULL, phone_index = NULL, phone_verified = false, password_hash = NULL, deleted_at = now(), updated_at = now()
         WHERE sub = $1`,
        [sub, pii.index(pid, 'pid:deleted'), pii.encrypt('', 'pid')],
      );
      // an anonymised person no longer counts as having a digital ID
      await noteCoverageChange(q, sub);
    },

    /** Same work whether or not the account exists; returns the sub only when the password matches. */
    async verifyPassword(pid: string, password: string): Promise<string | undefined> {
      const row = isValidPid(pid) ? await byPidRow(db, pid) : undefined;
      const ok = await hasher.verify(row?.password_hash, password);
      return ok && row ? row.sub : undefined;
    },
  };
}

export interface DeletionRequest {
  id: number;
  sub: string;
  reason: string;
  requestedAt: Date;
  status: DeletionStatus;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
  outcome: Record<string, unknown> | null;
}

export type Accounts = ReturnType<typeof createAccounts>;
