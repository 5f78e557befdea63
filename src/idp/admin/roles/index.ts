// Roles as an administrator manages them (admin, unit administrator, verifier, the coverage roles): who holds one, the
// history of grants and withdrawals, grant and withdraw with a reason. The rules and the audit events
// are src/idp/units' (nobody grants or withdraws their own roles; a verifier must be linked personnel
// at IAL 2.3); this adds what the console and the admin API share: an admin API client acts as an
// administrator but cannot make or unmake administrators (an automation does not widen powers).
import { RoleError, type Role, type RoleRecord, type Units } from '../../units/index.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import { AdminRefusal } from '../refusal.ts';

/** The roles managed here, and whether each is held at a unit or for one province. A new role is a row. */
export const MANAGED_ROLES: ReadonlyArray<{ role: Role; atUnit: boolean; inProvince?: true }> = [
  { role: 'admin', atUnit: false },
  { role: 'unit_admin', atUnit: true },
  { role: 'verifier', atUnit: true },
  // the coverage figures (src/idp/coverage): every area, or one province's
  { role: 'coverage_viewer', atUnit: false },
  { role: 'province_officer', atUnit: false, inProvince: true },
];

type RoleInput = { sub?: unknown; role?: unknown; hcode?: unknown; province?: unknown; reason?: unknown };

export class RolesError extends AdminRefusal {
  override name = 'RolesError';
  /** the units module's refusal, for the pages' words */
  readonly why?: RoleError;
  constructor(status: 400 | 403 | 404 | 409, message: string, why?: RoleError) {
    super(status, message);
    this.why = why;
  }
}

const STATUS: Record<string, 400 | 403 | 404 | 409> = { self: 403, notAllowed: 403, unknownUnit: 404, noAccount: 404, alreadyHeld: 409 };

export function createRoles(deps: { units: Units; accountExists: (sub: string) => Promise<boolean> }) {
  const { units } = deps;

  function checked(actor: Actor, input: RoleInput) {
    const row = MANAGED_ROLES.find((r) => r.role === input.role);
    if (!row) throw new RolesError(400, `role must be one of ${MANAGED_ROLES.map((r) => r.role).join(', ')}`);
    if (typeof input.sub !== 'string' || !/^[\w-]{1,64}$/.test(input.sub)) throw new RolesError(400, 'sub must be an account’s sub');
    const hcode = typeof input.hcode === 'string' && input.hcode ? input.hcode : undefined;
    if (row.atUnit && (!hcode || !/^\d{5}$/.test(hcode))) throw new RolesError(400, `${row.role} is held at a unit: hcode (5 digits) is required`, new RoleError('unitRequired', 'hcode required'));
    const province = typeof input.province === 'string' && input.province ? input.province : undefined;
    if (row.inProvince && (!province || !/^\d{2}$/.test(province))) throw new RolesError(400, `${row.role} is held for one province: province (its 2-digit code) is required`, new RoleError('provinceRequired', 'province required'));
    if (actor.kind === 'client' && row.role === 'admin') throw new RolesError(403, 'the admin role is granted and withdrawn by an administrator in the console or by the operator (mpid), not through the admin API');
    return { sub: input.sub, role: row.role, hcode: row.atUnit ? hcode : undefined, province: row.inProvince ? province : undefined, reason: typeof input.reason === 'string' ? input.reason.trim().slice(0, 200) : '' };
  }
  const asRolesError = (err: unknown) => (err instanceof RoleError ? new RolesError(STATUS[err.why] ?? 400, err.message, err) : err);

  return {
    /** Grants, newest first: everyone's current roles, or the whole history; one account's with `sub`. */
    list(o: { sub?: string; current?: boolean } = {}): Promise<RoleRecord[]> {
      return units.roleHistory({ sub: o.sub, current: o.current, limit: 1000 });
    },

    async grant(actor: Actor, input: RoleInput): Promise<void> {
      const g = checked(actor, input);
      if (!(await deps.accountExists(g.sub))) throw new RolesError(404, 'no such account');
      try {
        await units.grant({ ...g, by: actorId(actor), asAdmin: actor.kind !== 'person' });
      } catch (err) {
        throw asRolesError(err);
      }
    },

    async withdraw(actor: Actor, input: RoleInput): Promise<void> {
      const w = checked(actor, input);
      let done: boolean;
      try {
        done = await units.withdraw({ ...w, by: actorId(actor), asAdmin: actor.kind !== 'person' });
      } catch (err) {
        throw asRolesError(err);
      }
      if (!done) throw new RolesError(404, 'no such role is held');
    },
  };
}

export type Roles = ReturnType<typeof createRoles>;
