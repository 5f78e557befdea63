// Service units and service points as an administrator manages them: find a unit (by code or name,
// by province, service points only), see who serves there (unit administrators, verifiers, card reader
// agents), and open or close it as a Digital ID service point with a reason. The register itself comes
// in by import (mpid units import); the service-point rule and its audit event are src/idp/units'.
import type { Database } from '../../../kernel/db/index.ts';
import type { Units } from '../../units/index.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import type { UnitSummary } from './views.ts';
import { AdminRefusal } from '../refusal.ts';

export const HCODE = /^\d{5}$/;

export class UnitsAdminError extends AdminRefusal {
  override name = 'UnitsAdminError';
  readonly why: 'unknownUnit' | 'already' | 'reasonRequired' | 'invalid';
  constructor(status: 400 | 404 | 409, why: UnitsAdminError['why'], message: string) {
    super(status, message);
    this.why = why;
  }
}

export type { UnitSummary };

export interface UnitDetail extends UnitSummary {
  /** the people holding a role here now (subs, never ID numbers) */
  roles: Array<{ sub: string; role: 'unit_admin' | 'verifier'; granted_at: string }>;
  agents: Array<{ id: string; name: string | null; registered_at: string; last_seen_at: string | null }>;
}

type Row = Omit<UnitSummary, 'unit_admins' | 'verifiers' | 'card_agents'> & { unit_admins: string; verifiers: string; card_agents: string };

const SELECT = `SELECT u.hcode, u.name_th, u.name_en, u.unit_type, u.province, u.district, u.subdistrict, u.service_point,
  (SELECT count(*) FROM unit_roles r WHERE r.hcode = u.hcode AND r.role = 'unit_admin' AND r.withdrawn_at IS NULL) AS unit_admins,
  (SELECT count(*) FROM unit_roles r WHERE r.hcode = u.hcode AND r.role = 'verifier' AND r.withdrawn_at IS NULL) AS verifiers,
  (SELECT count(*) FROM card_agents a WHERE a.hcode = u.hcode AND a.revoked_at IS NULL) AS card_agents
  FROM service_units u`;
const summary = (r: Row): UnitSummary => ({ ...r, name_en: r.name_en || null, unit_admins: Number(r.unit_admins), verifiers: Number(r.verifiers), card_agents: Number(r.card_agents) });

export function createUnitsAdmin(deps: { db: Database; units: Units }) {
  const { db, units } = deps;

  async function get(hcode: string): Promise<UnitDetail> {
    const { rows } = await db.query<Row>(`${SELECT} WHERE u.hcode = $1`, [hcode]);
    if (!rows[0]) throw new UnitsAdminError(404, 'unknownUnit', `unknown unit ${hcode}`);
    const roles = await db.query<{ sub: string; role: 'unit_admin' | 'verifier'; granted_at: Date }>(
      `SELECT sub, role, granted_at FROM unit_roles WHERE hcode = $1 AND role IN ('unit_admin', 'verifier') AND withdrawn_at IS NULL ORDER BY role, granted_at`,
      [hcode],
    );
    const agents = await db.query<{ id: string; name: string | null; registered_at: Date; last_seen_at: Date | null }>(
      'SELECT id, name, registered_at, last_seen_at FROM card_agents WHERE hcode = $1 AND revoked_at IS NULL ORDER BY registered_at DESC',
      [hcode],
    );
    return {
      ...summary(rows[0]),
      roles: roles.rows.map((r) => ({ sub: r.sub, role: r.role, granted_at: r.granted_at.toISOString() })),
      agents: agents.rows.map((a) => ({ id: a.id, name: a.name, registered_at: a.registered_at.toISOString(), last_seen_at: a.last_seen_at?.toISOString() ?? null })),
    };
  }

  return {
    /** Units by code or name (a code's beginning, or a part of the Thai or English name), a page at a time. */
    async list(o: { search?: string; servicePoint?: boolean; province?: string; page?: number; size?: number } = {}): Promise<{ items: UnitSummary[]; more: boolean }> {
      const size = o.size ?? 50;
      const page = Math.max(1, o.page ?? 1);
      const search = o.search?.trim() || null;
      const { rows } = await db.query<Row>(
        `${SELECT}
         WHERE ($1::text IS NULL OR u.hcode LIKE $1 || '%' OR u.name_th ILIKE '%' || $1 || '%' OR u.name_en ILIKE '%' || $1 || '%')
           AND ($2::boolean IS NULL OR u.service_point = $2) AND ($3::text IS NULL OR u.province = $3)
         ORDER BY u.hcode LIMIT $4 OFFSET $5`,
        [search?.replace(/[%_\\]/g, (c) => `\\${c}`) ?? null, o.servicePoint ?? null, o.province || null, size + 1, (page - 1) * size],
      );
      return { items: rows.slice(0, size).map(summary), more: rows.length > size };
    },

    get,

    /** Opens or closes a Digital ID service point (people missing a level are sent to one); audited with the reason. */
    async setServicePoint(actor: Actor, hcode: string, input: { service_point?: unknown; reason?: unknown }): Promise<UnitDetail> {
      if (typeof input.service_point !== 'boolean') throw new UnitsAdminError(400, 'invalid', 'service_point must be true or false');
      const reason = typeof input.reason === 'string' ? input.reason.trim().slice(0, 200) : '';
      if (!reason) throw new UnitsAdminError(400, 'reasonRequired', 'a reason is required');
      const unit = await get(hcode);
      if (unit.service_point === input.service_point) throw new UnitsAdminError(409, 'already', `unit ${hcode} is ${unit.service_point ? 'already' : 'not'} a service point`);
      await units.setServicePoint(hcode, input.service_point, actorId(actor), reason);
      return { ...unit, service_point: input.service_point };
    },
  };
}

export type UnitsAdmin = ReturnType<typeof createUnitsAdmin>;
