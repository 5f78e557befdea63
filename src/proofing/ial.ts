// Identity assurance levels (ETDA IAL), carried in the `ial` claim and asked for with `min_ial` or an
// essential `ial` claim request. Until identity proofing records evidence, every account is at 1.1:
// self-asserted identity, valid ID-number checksum and a phone verified by a one-time code.
import type { Queryable } from '../db/index.ts';

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
  const essential = essentialIal(params.claims);
  if (essential) {
    const known = essential.filter(isIal).sort((a, b) => ialRank(a) - ialRank(b));
    wanted.push(known[0] ?? null);
  }
  if (!wanted.length) return undefined;
  if (wanted.includes(null)) return null;
  return (wanted as Ial[]).sort((a, b) => ialRank(b) - ialRank(a))[0];
}

function essentialIal(claims: unknown): string[] | undefined {
  let parsed: unknown = claims;
  if (typeof claims === 'string') {
    try {
      parsed = JSON.parse(claims);
    } catch {
      return undefined;
    }
  }
  const requests = parsed as Record<string, { ial?: { essential?: unknown; value?: unknown; values?: unknown } } | undefined> | undefined;
  for (const where of ['id_token', 'userinfo'] as const) {
    const ial = requests?.[where]?.ial;
    if (ial?.essential !== true) continue;
    if (Array.isArray(ial.values)) return ial.values.map(String);
    if (ial.value !== undefined) return [String(ial.value)];
  }
  return undefined;
}

/** The account's IAL. Identity proofing (evidence) raises it; registration alone gives 1.1. */
export async function accountIal(_q: Queryable, _sub: string): Promise<Ial> {
  return '1.1';
}
