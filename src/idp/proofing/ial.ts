// Identity assurance levels (ETDA IAL), carried in the `ial` claim and asked for with `min_ial` or an
// essential `ial` claim request; an account's level is computed from its evidence (policy.ts).
import type { Queryable } from '../../kernel/db/index.ts';
import { essentialClaimValues } from '../oidc/claims_request.ts';

import { ialRank, isIal, type Ial } from '../../kernel/assurance.ts';
import { ialFromChecks } from './policy.ts';
import { approvedChecks } from './evidence.ts';
import { phoneVerified } from '../account/index.ts';

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
  const phone = await phoneVerified(q, sub);
  if (phone === undefined) return undefined;
  return ialFromChecks([...(await approvedChecks(q, sub)), ...(phone ? ['phone_otp'] : [])]);
}
