// Identity assurance levels (ETDA IAL), carried in the `ial` claim and asked for with `min_ial` or an
// essential `ial` claim request; an account's level is computed from its evidence (policy.ts).
import type { Queryable } from '../../kernel/db/index.ts';
import { essentialClaimValues } from '../oidc/claims_request.ts';

import { ialRank, isIal, type Ial } from '../../kernel/assurance.ts';
import { ialFromChecks } from './policy.ts';

export { IAL_LEVELS, ialRank, isIal, type Ial } from '../../kernel/assurance.ts';

/**
 * The lowest IAL a request accepts, from `min_ial` and an essential `ial` claim request (the stricter
 * of the two); undefined when nothing is asked; null when only unknown levels are asked.
 */
export function requiredIal(params: { min_ial?: unknown; claims?: unknown }): Ial | null | undefined {
  const wanted: Array<Ial | null> = [];
  if (typeof params.min_ial === 'string' && params.min_ial) wanted.push(isIal(params.min_ial) ? params.min_ial : null);
  const essential = essentialClaimValues(params.claims, 'ial');
  if (essential) {
    const known = essential.filter(isIal).sort((a, b) => ialRank(a) - ialRank(b));
    wanted.push(known[0] ?? null);
  }
  if (!wanted.length) return undefined;
  if (wanted.includes(null)) return null;
  return (wanted as Ial[]).sort((a, b) => ialRank(b) - ialRank(a))[0];
}

/** The account's IAL from its verified phone and unrevoked evidence, by the policy table; none without either. */
export async function accountIal(q: Queryable, sub: string): Promise<Ial | undefined> {
  const { rows } = await q.query<{ phone_verified: boolean; checks: string[] | null }>(
    `SELECT a.phone_verified, (SELECT array_agg(DISTINCT c) FROM evidence e, unnest(e.checks) c
                               WHERE e.sub = a.sub AND e.revoked_at IS NULL AND e.decision = 'approved') AS checks
     FROM accounts a WHERE a.sub = $1`,
    [sub],
  );
  const r = rows[0];
  if (!r) return undefined;
  return ialFromChecks([...(r.checks ?? []), ...(r.phone_verified ? ['phone_otp'] : [])]);
}
