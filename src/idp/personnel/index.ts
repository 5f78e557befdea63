// The health personnel register: import from CSV (every row validated, bad rows reported with their
// line, the rest imported idempotently in batches), linking an account whose ID number, names and birth
// date match, and the `health_personnel` claim in the shape of the ministry's Provider ID.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import { isValidPid, normalizePid } from '../../kernel/thai/pid.ts';
import { audit } from '../../kernel/audit/index.ts';
import { importCsv, isoDate, type ImportResult, type Outcome } from '../../kernel/registry/import.ts';
import { noteCoverageChange } from '../coverage/changes.ts';

export const PERSONNEL_COLUMNS = [
  'pid',
  'title_th',
  'given_name_th',
  'family_name_th',
  'given_name_en',
  'family_name_en',
  'birthdate',
  'license_id',
  'license_expired_date',
  'position',
  'employment_type',
  'hcode',
  'hname_th',
] as const;

/** A personnel file that cannot be read or has no usable header. */
export { RegisterFileError as PersonnelFileError, type ImportResult } from '../../kernel/registry/import.ts';

const text = (max: number) => z.string().trim().max(max, `longer than ${max} characters`);
const required = (max: number) => text(max).min(1, 'is required');
const optional = (max: number) => text(max).transform((v) => v || null);
const date = (what: string) => z.string().trim().transform((v, ctx) => {
  const iso = isoDate(v);
  if (!iso) ctx.addIssue({ code: 'custom', message: `${what} must be YYYY-MM-DD or dd/mm/yyyy (Buddhist or Christian era)` });
  return iso ?? '';
});

const rowSchema = z.object({
  pid: z.string().transform((v, ctx) => {
    const pid = normalizePid(v);
    if (!pid) ctx.addIssue({ code: 'custom', message: 'pid must be 13 digits' });
    else if (!isValidPid(pid)) ctx.addIssue({ code: 'custom', message: 'pid check digit is wrong' });
    return pid ?? '';
  }),
  title_th: optional(40),
  given_name_th: required(100),
  family_name_th: required(100),
  given_name_en: optional(100),
  family_name_en: optional(100),
  birthdate: date('birthdate'),
  license_id: optional(40),
  license_expired_date: z.string().trim().transform((v, ctx) => {
    if (!v) return null;
    const iso = isoDate(v);
    if (!iso) ctx.addIssue({ code: 'custom', message: 'license_expired_date must be YYYY-MM-DD or dd/mm/yyyy' });
    return iso ?? null;
  }),
  position: required(100),
  employment_type: required(60),
  hcode: z.string().trim().regex(/^\d{5}$/, 'hcode must be 5 digits'),
  hname_th: required(200),
});
type Row = z.output<typeof rowSchema>;

/** Same text as people write it: Unicode NFC, single spaces, no surrounding space. */
const sameName = (a: string | null | undefined, b: string | null | undefined) =>
  (a ?? '').normalize('NFC').replace(/\s+/g, ' ').trim() === (b ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

/** Whether the account is linked to a personnel register entry; q may be the caller's transaction. */
export async function isLinkedPersonnel(q: Queryable, sub: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM personnel_links WHERE sub = $1', [sub]);
  return rows.length > 0;
}

/** The units and employment types of the register entry the account is linked to (none when not linked), by hcode. */
export async function linkedPositions(q: Queryable, sub: string): Promise<Array<{ hcode: string; employmentType: string }>> {
  const { rows } = await q.query<{ hcode: string; employment_type: string }>(
    'SELECT o.hcode, o.employment_type FROM personnel_links l JOIN personnel_positions o ON o.pid_index = l.pid_index WHERE l.sub = $1 ORDER BY o.hcode',
    [sub],
  );
  return rows.map((r) => ({ hcode: r.hcode, employmentType: r.employment_type }));
}

export function createPersonnel(db: Database, pii: Pii) {
  async function upsert(q: Queryable, r: Row): Promise<Outcome> {
    const pidIndex = pii.index(r.pid, 'pid');
    const person = await q.query<{ inserted: boolean }>(
      `INSERT INTO personnel_people AS p (pid_index, pid_cipher, provider_id, title_th, given_name_th, family_name_th, given_name_en, family_name_en, birthdate, license_id, license_expired_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (pid_index) DO UPDATE SET title_th = EXCLUDED.title_th, given_name_th = EXCLUDED.given_name_th, family_name_th = EXCLUDED.family_name_th,
         given_name_en = EXCLUDED.given_name_en, family_name_en = EXCLUDED.family_name_en, birthdate = EXCLUDED.birthdate,
         license_id = EXCLUDED.license_id, license_expired_date = EXCLUDED.license_expired_date, updated_at = now()
       WHERE (p.title_th, p.given_name_th, p.family_name_th, p.given_name_en, p.family_name_en, p.birthdate, p.license_id, p.license_expired_date)
         IS DISTINCT FROM (EXCLUDED.title_th, EXCLUDED.given_name_th, EXCLUDED.family_name_th, EXCLUDED.given_name_en, EXCLUDED.family_name_en, EXCLUDED.birthdate, EXCLUDED.license_id, EXCLUDED.license_expired_date)
       RETURNING (xmax = 0) AS inserted`,
      [pidIndex, pii.encrypt(r.pid, 'pid'), String(randomInt(1e6, 1e7)) + String(randomInt(1e8, 1e9)), r.title_th, r.given_name_th, r.family_name_th, r.given_name_en, r.family_name_en, r.birthdate, r.license_id, r.license_expired_date],
    );
    const position = await q.query<{ inserted: boolean }>(
      `INSERT INTO personnel_positions AS p (pid_index, hcode, hname_th, position, employment_type) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (pid_index, hcode) DO UPDATE SET hname_th = EXCLUDED.hname_th, position = EXCLUDED.position, employment_type = EXCLUDED.employment_type, updated_at = now()
       WHERE (p.hname_th, p.position, p.employment_type) IS DISTINCT FROM (EXCLUDED.hname_th, EXCLUDED.position, EXCLUDED.employment_type)
       RETURNING (xmax = 0) AS inserted`,
      [pidIndex, r.hcode, r.hname_th, r.position, r.employment_type],
    );
    if (person.rows[0]?.inserted || position.rows[0]?.inserted) return 'imported';
    return person.rows.length || position.rows.length ? 'updated' : 'unchanged';
  }

  return {
    /** Imports a CSV file (header row with PERSONNEL_COLUMNS); throws PersonnelFileError if it cannot be read. */
    importFile(file: string, onProgress?: (rows: number) => void): Promise<ImportResult> {
      return importCsv({ db, file, columns: PERSONNEL_COLUMNS, schema: rowSchema, upsert, onProgress });
    },

    /** Links the account to the register entry with its ID number, if names and birth date match too. */
    async link(account: { sub: string; pid: string; givenName: string; familyName: string; birthdate: string }): Promise<'linked' | 'already_linked' | 'no_match'> {
      if (await this.isLinked(account.sub)) return 'already_linked';
      const pidIndex = pii.index(account.pid, 'pid');
      const { rows } = await db.query<{ given_name_th: string; family_name_th: string; birthdate: string }>(
        `SELECT given_name_th, family_name_th, to_char(birthdate, 'YYYY-MM-DD') AS birthdate FROM personnel_people WHERE pid_index = $1`,
        [pidIndex],
      );
      const entry = rows[0];
      if (!entry || !sameName(entry.given_name_th, account.givenName) || !sameName(entry.family_name_th, account.familyName) || entry.birthdate !== account.birthdate) {
        await audit(db, { actor: account.sub, action: 'personnel.link_refused', subject: account.sub });
        return 'no_match';
      }
      await db.tx(async (q) => {
        await q.query('INSERT INTO personnel_links (sub, pid_index) VALUES ($1, $2)', [account.sub, pidIndex]);
        await audit(q, { actor: account.sub, action: 'personnel.linked', subject: account.sub });
        await noteCoverageChange(q, account.sub);
      });
      return 'linked';
    },

    isLinked(sub: string): Promise<boolean> {
      return isLinkedPersonnel(db, sub);
    },

    async unlink(sub: string): Promise<boolean> {
      return db.tx(async (q) => {
        const { rowCount } = await q.query('DELETE FROM personnel_links WHERE sub = $1', [sub]);
        if (rowCount) {
          await audit(q, { actor: sub, action: 'personnel.unlinked', subject: sub });
          await noteCoverageChange(q, sub);
        }
        return rowCount === 1;
      });
    },

    /** The `health_personnel` claim: Provider ID's field names (provider_id, license_id, hcode, hname_th …). */
    async healthPersonnelClaim(sub: string): Promise<HealthPersonnelClaim | undefined> {
      const { rows } = await db.query<{
        provider_id: string;
        title_th: string | null;
        given_name_th: string;
        family_name_th: string;
        given_name_en: string | null;
        family_name_en: string | null;
        license_id: string | null;
        license_expired_date: string | null;
        hcode: string;
        hname_th: string;
        position: string;
        employment_type: string;
      }>(
        `SELECT p.provider_id, p.title_th, p.given_name_th, p.family_name_th, p.given_name_en, p.family_name_en, p.license_id,
                to_char(p.license_expired_date, 'YYYY-MM-DD') AS license_expired_date, o.hcode, o.hname_th, o.position, o.employment_type
         FROM personnel_links l JOIN personnel_people p ON p.pid_index = l.pid_index JOIN personnel_positions o ON o.pid_index = p.pid_index
         WHERE l.sub = $1 ORDER BY o.hcode`,
        [sub],
      );
      const first = rows[0];
      if (!first) return undefined;
      return {
        provider_id: first.provider_id,
        title_th: first.title_th,
        name_th: `${first.given_name_th} ${first.family_name_th}`,
        name_eng: first.given_name_en && first.family_name_en ? `${first.given_name_en} ${first.family_name_en}` : null,
        license_id: first.license_id,
        license_expired_date: first.license_expired_date,
        position: first.position,
        organizations: rows.map((r) => ({
          hcode: r.hcode,
          hname_th: r.hname_th,
          position: r.position,
          position_type: r.employment_type,
          license_id: r.license_id,
          license_expired_date: r.license_expired_date,
        })),
      };
    },
  };
}

export interface HealthPersonnelClaim {
  provider_id: string;
  title_th: string | null;
  name_th: string;
  name_eng: string | null;
  license_id: string | null;
  license_expired_date: string | null;
  position: string;
  organizations: Array<{ hcode: string; hname_th: string; position: string; position_type: string; license_id: string | null; license_expired_date: string | null }>;
}

export type Personnel = ReturnType<typeof createPersonnel>;
