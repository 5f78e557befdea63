// Claim (service) types: reference data from the service's own table, read once and kept in memory.
import type { Queryable } from '../kernel/db/index.ts';

export interface ClaimType {
  code: string;
  nameTh: string;
  nameEn: string;
  /** first two letters of the Authen Codes of this service category */
  prefix: string;
  validFrom: string;
  /** last day it may be confirmed; null while current */
  validUntil: string | null;
}

export interface ClaimTypes {
  all: ClaimType[];
  get(code: string): ClaimType | undefined;
  /** the types that may be confirmed on this Thai day */
  validOn(day: string): ClaimType[];
  isValidOn(code: string, day: string): boolean;
}

export async function loadClaimTypes(db: Queryable): Promise<ClaimTypes> {
  const { rows } = await db.query<{ code: string; name_th: string; name_en: string; prefix: string; valid_from: string; valid_until: string | null }>(
    "SELECT code, name_th, name_en, prefix, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM authencode.claim_types ORDER BY sort",
  );
  const all = rows.map((r) => ({ code: r.code, nameTh: r.name_th, nameEn: r.name_en, prefix: r.prefix, validFrom: r.valid_from, validUntil: r.valid_until }));
  const byCode = new Map(all.map((c) => [c.code, c]));
  const valid = (c: ClaimType, day: string) => c.validFrom <= day && (c.validUntil === null || day <= c.validUntil);
  return {
    all,
    get: (code) => byCode.get(code),
    validOn: (day) => all.filter((c) => valid(c, day)),
    isValidOn: (code, day) => {
      const c = byCode.get(code);
      return c !== undefined && valid(c, day);
    },
  };
}
