// Identity assurance levels (ETDA IAL), carried in the `ial` claim and asked for with `min_ial` or an
// essential `ial` claim request. Until identity proofing records evidence, every account is at 1.1:
// self-asserted identity, valid ID-number checksum and a phone verified by a one-time code.
import type { Queryable } from '../db/index.ts';
import { essentialClaimValues } from '../oidc/claims_request.ts';

export const IAL_LEVELS = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3'] as const;
export type Ial = (typeof IAL_LEVELS)[number];

export const ialRank = (ial: unknown): number => IAL_LEVELS.indexOf(ial as Ial);
export const isIal = (v: unknown): v is Ial => ialRank(v) >= 0;

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

/** The account's IAL. Identity proofing (evidence) raises it; registration alone gives 1.1. */
export async function accountIal(_q: Queryable, _sub: string): Promise<Ial> {
  return '1.1';
}
