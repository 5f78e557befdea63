// Authenticator assurance (ETDA AAL), carried in acr: which level the factors of a login reach, what a
// request asks for, and how long a session at each level lives. One table each, per docs/assurance.md §2.
import { essentialClaimValues } from './claims_request.ts';
import { ACR_VALUES, acrRank, type Acr } from '../../kernel/assurance.ts';

export { ACR_VALUES, acrRank, type Acr } from '../../kernel/assurance.ts';

/**
 * A factor used in one login. `swk`/`hwk` are user-verifying passkeys: synced, or bound to one device;
 * `fed` a login at an upstream identity provider that allows it (ThaID with THAID_LOGIN).
 */
export type Factor = 'pwd' | 'sms' | 'otp' | 'recovery' | 'swk' | 'hwk' | 'fed';

/** Combinations of factors and the level they reach, strongest first; the first one contained wins. */
const AAL_TABLE: Array<{ factors: Factor[]; acr: Acr }> = [
  { factors: ['hwk', 'pwd'], acr: 'urn:th:etda:aal:3' },
  { factors: ['hwk'], acr: 'urn:th:etda:aal:2.2' },
  { factors: ['swk'], acr: 'urn:th:etda:aal:2.2' },
  { factors: ['pwd', 'otp'], acr: 'urn:th:etda:aal:2.2' },
  // recovery codes are look-up secrets kept on paper: a restricted second factor, like SMS
  { factors: ['pwd', 'recovery'], acr: 'urn:th:etda:aal:2.1' },
  { factors: ['pwd', 'sms'], acr: 'urn:th:etda:aal:2.1' },
  { factors: ['pwd'], acr: 'urn:th:etda:aal:1' },
  { factors: ['sms'], acr: 'urn:th:etda:aal:1' },
  // an upstream's login as seen from here: its ID token says who, not with which authenticators (ThaID's
  // carries no acr or amr), so it counts as one factor
  { factors: ['fed'], acr: 'urn:th:etda:aal:1' },
];

export function aalOf(factors: readonly Factor[]): Acr | undefined {
  return AAL_TABLE.find((row) => row.factors.every((f) => factors.includes(f)))?.acr;
}

/** RFC 8176 authentication method references for the factors used. */
export function amrOf(factors: readonly Factor[]): string[] {
  const amr = new Set<string>();
  for (const f of factors) {
    if (f === 'recovery') amr.add('otp');
    else amr.add(f);
    if (f === 'swk' || f === 'hwk') amr.add('user');
  }
  if (factors.length > 1 || factors.some((f) => f === 'swk' || f === 'hwk')) amr.add('mfa');
  return [...amr];
}

/**
 * Factors recorded in a session's amr, so a step-up can build on the login already made. An upstream's
 * login (`fed`) is not among them: no second factor combines with it, so a step-up from it starts with
 * the person's own factors.
 */
export function factorsOfAmr(amr: readonly string[] | undefined): Factor[] {
  const known: Factor[] = ['pwd', 'sms', 'otp', 'swk', 'hwk'];
  return (amr ?? []).filter((m): m is Factor => (known as string[]).includes(m));
}

/** Which second factors (on top of a password) reach at least `acr`. */
export function secondFactorsReaching(acr: Acr): Factor[] {
  const candidates: Factor[] = ['sms', 'recovery', 'otp', 'swk', 'hwk'];
  return candidates.filter((f) => acrRank(aalOf(['pwd', f])) >= acrRank(acr));
}

/** Re-authentication limits (DGS 1-2 / NIST 800-63B): absolute lifetime and idle time, in seconds. */
export const SESSION_LIMITS: Record<Acr, { lifetime: number; idle: number }> = {
  'urn:th:etda:aal:1': { lifetime: 30 * 86400, idle: 30 * 86400 },
  'urn:th:etda:aal:2.1': { lifetime: 12 * 3600, idle: 30 * 60 },
  'urn:th:etda:aal:2.2': { lifetime: 12 * 3600, idle: 30 * 60 },
  'urn:th:etda:aal:3': { lifetime: 12 * 3600, idle: 15 * 60 },
};

export const sessionLimits = (acr: string | undefined) => SESSION_LIMITS[acrRank(acr) >= 0 ? (acr as Acr) : 'urn:th:etda:aal:1'];

export interface AcrRequest {
  acr_values?: unknown;
  claims?: unknown;
}

/**
 * The lowest level a request accepts: the weakest of its essential acr values, else of its
 * acr_values, else of the client's default_acr_values. Levels are ordered, so any stronger login
 * satisfies the request (the ID token reports the level actually reached). Unknown values are ignored;
 * a request made only of unknown values asks for something we cannot give (null).
 */
export function requiredAcr(params: AcrRequest, defaultAcrValues: readonly string[] | undefined): Acr | null {
  const lowest = (values: readonly string[]): Acr | null => {
    const ranks = values.map(acrRank).filter((r) => r >= 0);
    return ranks.length ? ACR_VALUES[Math.min(...ranks)]! : null;
  };
  const essential = essentialClaimValues(params.claims, 'acr', ['id_token']);
  if (essential) return lowest(essential);
  const voluntary = typeof params.acr_values === 'string' && params.acr_values.trim() ? params.acr_values.trim().split(/\s+/) : undefined;
  if (voluntary) return lowest(voluntary) ?? ACR_VALUES[0];
  if (defaultAcrValues?.length) return lowest(defaultAcrValues) ?? ACR_VALUES[0];
  return ACR_VALUES[0];
}
