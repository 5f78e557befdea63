// Service units and the roles people hold at them. Units come from the unit register (CSV import, as
// every register); an administrator makes a unit a Digital ID service point; unit administrators
// appoint verifiers. A verifier must be linked health personnel at IAL 2.3 or above; the first
// verifier of a unit is appointed by an operator after an in-person check (`mpid verifier bootstrap`).
// Coverage roles: coverage_viewer (the ministry, every area) and province_officer (one province).
import { z } from 'zod';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { importCsv, type ImportResult, type Outcome } from '../../kernel/registry/import.ts';
import { UNIT_COLUMNS, unitSchema } from '../../kernel/registry/units.ts';
import { accountIal, ialRank, recordEvidence } from '../proofing/index.ts';
import { maskPid } from '../../kernel/pii/index.ts';
import { accountSubByPid } from '../account/index.ts';
import { isLinkedPersonnel } from '../personnel/index.ts';

export type Role = 'admin' | 'unit_admin' | 'verifier' | 'coverage_viewer' | 'province_officer';

/** Roles held everywhere or over an area, not at a unit. */
const NOT_AT_A_UNIT: readonly Role[] = ['admin', 'coverage_viewer', 'province_officer'];

/** Where a unit is, by the names of the unit register; q may be the caller's transaction. */
export async function unitPlace(q: Queryable, hcode: string): Promise<{ province: string; district: string; subdistrict: string } | undefined> {
  const { rows } = await q.query<{ province: string; district: string; subdistrict: string }>('SELECT province, district, subdistrict FROM service_units WHERE hcode = $1', [hcode]);
  return rows[0];
}

/** Why a role cannot be granted or withdrawn: each has words in both languages (roleWhy_… in units/messages.ts). */
export type RoleRefusal = 'reasonRequired' | 'unitRequired' | 'provinceRequired' | 'self' | 'notAllowed' | 'unknownUnit' | 'alreadyHeld' | 'operatorRequired' | 'noAccount' | 'notPersonnel' | 'verifierNotPersonnel' | 'verifierIal';

/** A refusal: `message` in English for the command line and logs, `why` for the pages' words. */
export class RoleError extends Error {
  override name = 'RoleError';
  readonly why: RoleRefusal;
  /** the unit the refusal names, for its words */
  readonly unit?: string;
  constructor(why: RoleRefusal, message: string, unit?: string) {
    super(message);
    this.why = why;
    this.unit = unit;
  }
}

/** One grant of a role, and its withdrawal when it was withdrawn. */
export interface RoleRecord {
  id: number;
  sub: string;
  role: Role;
  hcode: string | null;
  /** the province a province_officer holds the role for (2-digit code) */
  province: string | null;
  grantedBy: string;
  grantReason: string;
  grantedAt: Date;
  withdrawnBy: string | null;
  withdrawReason: string | null;
  withdrawnAt: Date | null;
}

export interface ServicePoint {
  hcode: string;
  nameTh: string;
  /** the English name from the register, when it has one */
  nameEn: string | null;
  province: string;
  district: string;
}

export function createUnits(db: Database, pii: Pii) {
  async function upsert(q: Queryable, u: z.output<typeof unitSchema>): Promise<Outcome> {
    const { rows } = await q.query<{ inserted: boolean }>(
      `INSERT INTO service_units AS s (hcode, name_th, name_en, unit_type, province, district, subdistrict) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (hcode) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, unit_type = EXCLUDED.unit_type,
         province = EXCLUDED.province, district = EXCLUDED.district, subdistrict = EXCLUDED.subdistrict, updated_at = now()
       WHERE (s.name_th, s.name_en, s.unit_type, s.province, s.district, s.subdistrict)
         IS DISTINCT FROM (EXCLUDED.name_th, EXCLUDED.name_en, EXCLUDED.unit_type, EXCLUDED.province, EXCLUDED.district, EXCLUDED.subdistrict)
       RETURNING (xmax = 0) AS inserted`,
      [u.hcode, u.name_th, u.name_en, u.unit_type, u.province, u.district, u.subdistrict],
    );
    return rows[0] ? (rows[0].inserted ? 'imported' : 'updated') : 'unchanged';
  }

  const activeRole = async (q: Queryable, sub: string, role: Role, hcode: string | null, province: string | null = null) =>
    (await q.query('SELECT 1 FROM unit_roles WHERE sub = $1 AND role = $2 AND hcode IS NOT DISTINCT FROM $3 AND province IS NOT DISTINCT FROM $4 AND withdrawn_at IS NULL', [sub, role, hcode, province])).rows.length > 0;

  const units = {
    importFile(file: string, onProgress?: (rows: number) => void): Promise<ImportResult> {
      return importCsv({ db, file, columns: UNIT_COLUMNS, schema: unitSchema, upsert, onProgress });
    },

    async setServicePoint(hcode: string, on: boolean, by: string, reason?: string): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE service_units SET service_point = $2, updated_at = now() WHERE hcode = $1', [hcode, on]);
      if (rowCount) await audit(db, { actor: by, action: on ? 'unit.service_point_on' : 'unit.service_point_off', detail: { hcode, ...(reason ? { reason } : {}) } });
      return rowCount === 1;
    },

    async isServicePoint(hcode: string): Promise<boolean> {
      return (await db.query('SELECT 1 FROM service_units WHERE hcode = $1 AND service_point', [hcode])).rows.length > 0;
    },

    /** Service points, those in the given province first. */
    async servicePoints(province?: string, limit = 5): Promise<ServicePoint[]> {
      const { rows } = await db.query<{ hcode: string; name_th: string; name_en: string | null; province: string; district: string }>(
        `SELECT hcode, name_th, name_en, province, district FROM service_units WHERE service_point
         ORDER BY (province = $1) DESC, province, name_th LIMIT $2`,
        [province ?? '', limit],
      );
      return rows.map((r) => ({ hcode: r.hcode, nameTh: r.name_th, nameEn: r.name_en || null, province: r.province, district: r.district }));
    },

    /** The units this account administers. */
    async adminUnits(sub: string): Promise<Array<{ hcode: string; name: string }>> {
      const { rows } = await db.query<{ hcode: string; name_th: string }>(
        `SELECT u.hcode, u.name_th FROM unit_roles r JOIN service_units u ON u.hcode = r.hcode
         WHERE r.sub = $1 AND r.role = 'unit_admin' AND r.withdrawn_at IS NULL ORDER BY u.hcode`,
        [sub],
      );
      return rows.map((r) => ({ hcode: r.hcode, name: r.name_th }));
    },

    /** A unit's verifiers, current and past, with who appointed or withdrew them and why. */
    async verifiersAt(hcode: string): Promise<Array<{ sub: string; grantedAt: Date; grantReason: string; withdrawnAt: Date | null; withdrawReason: string | null }>> {
      const { rows } = await db.query<{ sub: string; granted_at: Date; grant_reason: string; withdrawn_at: Date | null; withdraw_reason: string | null }>(
        `SELECT sub, granted_at, grant_reason, withdrawn_at, withdraw_reason FROM unit_roles WHERE hcode = $1 AND role = 'verifier' ORDER BY granted_at DESC`,
        [hcode],
      );
      return rows.map((r) => ({ sub: r.sub, grantedAt: r.granted_at, grantReason: r.grant_reason, withdrawnAt: r.withdrawn_at, withdrawReason: r.withdraw_reason }));
    },

    /** The units where this account is an active verifier. */
    async verifierUnits(sub: string): Promise<Array<{ hcode: string; name: string }>> {
      const { rows } = await db.query<{ hcode: string; name_th: string }>(
        `SELECT u.hcode, u.name_th FROM unit_roles r JOIN service_units u ON u.hcode = r.hcode
         WHERE r.sub = $1 AND r.role = 'verifier' AND r.withdrawn_at IS NULL ORDER BY u.hcode`,
        [sub],
      );
      return rows.map((r) => ({ hcode: r.hcode, name: r.name_th }));
    },

    /** Role grants, current and withdrawn, newest first: one account's (sub) or everyone's (the console's list). */
    async roleHistory(o: { sub?: string; current?: boolean; limit?: number } = {}): Promise<RoleRecord[]> {
      const { rows } = await db.query<{ id: string; sub: string; role: Role; hcode: string | null; province: string | null; granted_by: string; grant_reason: string; granted_at: Date; withdrawn_by: string | null; withdraw_reason: string | null; withdrawn_at: Date | null }>(
        `SELECT id, sub, role, hcode, province, granted_by, grant_reason, granted_at, withdrawn_by, withdraw_reason, withdrawn_at FROM unit_roles
         WHERE ($1::text IS NULL OR sub = $1) AND (NOT $2::boolean OR withdrawn_at IS NULL) ORDER BY granted_at DESC, id DESC LIMIT $3`,
        [o.sub ?? null, o.current === true, o.limit ?? 500],
      );
      return rows.map((r) => ({ id: Number(r.id), sub: r.sub, role: r.role, hcode: r.hcode, province: r.province, grantedBy: r.granted_by, grantReason: r.grant_reason, grantedAt: r.granted_at, withdrawnBy: r.withdrawn_by, withdrawReason: r.withdraw_reason, withdrawnAt: r.withdrawn_at }));
    },

    async hasRole(sub: string, role: Role, hcode: string | null = null): Promise<boolean> {
      return activeRole(db, sub, role, hcode);
    },

    /** What coverage figures the account may see: every area (admin, coverage_viewer), some provinces (province_officer), or none. */
    async coverageScope(sub: string): Promise<{ national: true } | { national: false; provinces: string[] }> {
      const { rows } = await db.query<{ role: Role; province: string | null }>(
        `SELECT role, province FROM unit_roles WHERE sub = $1 AND role IN ('admin', 'coverage_viewer', 'province_officer') AND withdrawn_at IS NULL ORDER BY province`,
        [sub],
      );
      if (rows.some((r) => r.role !== 'province_officer')) return { national: true };
      return { national: false, provinces: rows.map((r) => r.province!) };
    },

    /** Quarter-1 milestones by place (the unit register's names): units that are service points, and active verifiers. */
    async milestonesByPlace(): Promise<Array<{ province: string; district: string; servicePoints: number; verifiers: number }>> {
      const { rows } = await db.query<{ province: string; district: string; service_points: string; verifiers: string }>(
        `SELECT u.province, u.district, count(*) FILTER (WHERE u.service_point) AS service_points,
                coalesce(sum(v.n), 0) AS verifiers
         FROM service_units u
         LEFT JOIN (SELECT hcode, count(*) AS n FROM unit_roles WHERE role = 'verifier' AND withdrawn_at IS NULL GROUP BY hcode) v ON v.hcode = u.hcode
         GROUP BY u.province, u.district`,
      );
      return rows.map((r) => ({ province: r.province, district: r.district, servicePoints: Number(r.service_points), verifiers: Number(r.verifiers) }));
    },

    /**
     * Grants a role with a reason. Admins grant admin and unit_admin roles; unit administrators (or
     * admins) appoint verifiers at their unit. Nobody grants a role to themselves; a verifier must be
     * linked health personnel at IAL 2.3 or above.
     */
    async grant(g: { sub: string; role: Role; hcode?: string; province?: string; by: string; reason: string; asAdmin?: boolean }): Promise<void> {
      const hcode = NOT_AT_A_UNIT.includes(g.role) ? null : (g.hcode ?? null);
      const province = g.role === 'province_officer' ? (g.province ?? null) : null;
      if (!g.reason.trim()) throw new RoleError('reasonRequired', 'a reason is required');
      if (!NOT_AT_A_UNIT.includes(g.role) && !hcode) throw new RoleError('unitRequired', `${g.role} is a role at a unit: hcode is required`);
      if (g.role === 'province_officer' && !/^\d{2}$/.test(province ?? '')) throw new RoleError('provinceRequired', 'province_officer is a role over one province: its 2-digit code is required');
      if (g.sub === g.by) throw new RoleError('self', 'nobody can grant a role to themselves');
      await db.tx(async (q) => {
        // asAdmin: the caller was authorised as an administrator already (an admin API client, the operator)
        const isAdmin = g.asAdmin === true || (await activeRole(q, g.by, 'admin', null));
        const mayGrant = g.role === 'verifier' ? isAdmin || (await activeRole(q, g.by, 'unit_admin', hcode)) : isAdmin;
        if (!mayGrant) throw new RoleError('notAllowed', `not allowed to grant ${g.role}${hcode ? ` at ${hcode}` : ''}`);
        if (hcode && !(await q.query('SELECT 1 FROM service_units WHERE hcode = $1', [hcode])).rows.length) throw new RoleError('unknownUnit', `unknown unit ${hcode}`, hcode);
        if (g.role === 'verifier') await assertVerifierEligible(q, g.sub);
        if (await activeRole(q, g.sub, g.role, hcode, province)) throw new RoleError('alreadyHeld', 'the role is already held');
        await q.query('INSERT INTO unit_roles (sub, role, hcode, province, granted_by, grant_reason) VALUES ($1, $2, $3, $4, $5, $6)', [g.sub, g.role, hcode, province, g.by, g.reason]);
        await audit(q, { actor: g.by, action: 'role.granted', subject: g.sub, detail: { role: g.role, hcode, ...(province ? { province } : {}), reason: g.reason } });
      });
    },

    async withdraw(w: { sub: string; role: Role; hcode?: string; province?: string; by: string; reason: string; asAdmin?: boolean }): Promise<boolean> {
      const hcode = NOT_AT_A_UNIT.includes(w.role) ? null : (w.hcode ?? null);
      const province = w.role === 'province_officer' ? (w.province ?? null) : null;
      if (!w.reason.trim()) throw new RoleError('reasonRequired', 'a reason is required');
      if (w.sub === w.by) throw new RoleError('self', 'nobody can withdraw their own role');
      return db.tx(async (q) => {
        const isAdmin = w.asAdmin === true || (await activeRole(q, w.by, 'admin', null));
        const may = w.role === 'verifier' ? isAdmin || (await activeRole(q, w.by, 'unit_admin', hcode)) : isAdmin;
        if (!may) throw new RoleError('notAllowed', `not allowed to withdraw ${w.role}`);
        const { rowCount } = await q.query(
          `UPDATE unit_roles SET withdrawn_at = now(), withdrawn_by = $4, withdraw_reason = $5
           WHERE sub = $1 AND role = $2 AND hcode IS NOT DISTINCT FROM $3 AND province IS NOT DISTINCT FROM $6 AND withdrawn_at IS NULL`,
          [w.sub, w.role, hcode, w.by, w.reason, province],
        );
        if (rowCount) await audit(q, { actor: w.by, action: 'role.withdrawn', subject: w.sub, detail: { role: w.role, hcode, ...(province ? { province } : {}), reason: w.reason } });
        return rowCount === 1;
      });
    },

    /** The first administrators are appointed by an operator at the command line. */
    async bootstrapAdmin(b: { pid: string; operator: string; reason: string }): Promise<{ sub: string }> {
      if (!b.operator.trim() || !b.reason.trim()) throw new RoleError('operatorRequired', 'operator and reason are required');
      return db.tx(async (q) => {
        const sub = await accountSubByPid(q, pii, b.pid);
        if (!sub) throw new RoleError('noAccount', 'no account with this ID number');
        if (await activeRole(q, sub, 'admin', null)) throw new RoleError('alreadyHeld', 'the role is already held');
        const by = `operator:${b.operator.trim()}`;
        await q.query('INSERT INTO unit_roles (sub, role, hcode, granted_by, grant_reason) VALUES ($1, $2, NULL, $3, $4)', [sub, 'admin', by, b.reason]);
        await audit(q, { actor: by, action: 'role.granted', subject: sub, detail: { role: 'admin', reason: b.reason, bootstrap: true } });
        return { sub };
      });
    },

    /**
     * The first verifier of a unit, appointed by an operator who checked the person in person (card
     * chip read, card status, face compared): recorded as evidence and as the grant, both by the operator.
     */
    async bootstrapVerifier(b: { pid: string; hcode: string; operator: string; reason: string }): Promise<{ sub: string }> {
      if (!b.operator.trim() || !b.reason.trim()) throw new RoleError('operatorRequired', 'operator and reason are required');
      return db.tx(async (q) => {
        const sub = await accountSubByPid(q, pii, b.pid);
        if (!sub) throw new RoleError('noAccount', 'no account with this ID number');
        if (!(await q.query('SELECT 1 FROM service_units WHERE hcode = $1', [b.hcode])).rows.length) throw new RoleError('unknownUnit', `unknown unit ${b.hcode}`, b.hcode);
        if (!(await isLinkedPersonnel(q, sub))) throw new RoleError('notPersonnel', 'the account is not linked to a health personnel record');
        const by = `operator:${b.operator.trim()}`;
        await recordEvidence(q, {
          sub,
          method: 'operator_bootstrap',
          checks: ['chip_read', 'card_status', 'face_compare_in_person'],
          documents: [{ type: 'idcard', issuer: 'DOPA', number: maskPid(b.pid) }],
          unitHcode: b.hcode,
          verifierSub: by,
          decision: 'approved',
          reason: b.reason,
        });
        await assertVerifierEligible(q, sub);
        if (await activeRole(q, sub, 'verifier', b.hcode)) throw new RoleError('alreadyHeld', 'the role is already held');
        await q.query('INSERT INTO unit_roles (sub, role, hcode, granted_by, grant_reason) VALUES ($1, $2, $3, $4, $5)', [sub, 'verifier', b.hcode, by, b.reason]);
        await audit(q, { actor: by, action: 'role.granted', subject: sub, detail: { role: 'verifier', hcode: b.hcode, reason: b.reason, bootstrap: true } });
        return { sub };
      });
    },
  };

  async function assertVerifierEligible(q: Queryable, sub: string) {
    if (!(await isLinkedPersonnel(q, sub))) throw new RoleError('verifierNotPersonnel', 'a verifier must be linked health personnel');
    if (ialRank(await accountIal(q, sub)) < ialRank('2.3')) throw new RoleError('verifierIal', 'a verifier must be at IAL 2.3 or above');
  }

  return units;
}

export type Units = ReturnType<typeof createUnits>;
