// Reading the area register (coverage_areas): codes are nested — province 2 digits, district 4,
// sub-district 6 — so a code's ancestors are its prefixes. Names resolve to codes for the places the
// unit register and the synthetic population register give by Thai name.
import type { Queryable } from '../../kernel/db/index.ts';

export interface Area {
  code: string;
  level: 1 | 2 | 3;
  parent: string | null;
  nameTh: string;
  nameEn: string;
}

type AreaRow = { code: string; level: number; parent: string | null; name_th: string; name_en: string };
const fromRow = (r: AreaRow): Area => ({ code: r.code, level: r.level as 1 | 2 | 3, parent: r.parent, nameTh: r.name_th, nameEn: r.name_en });

export const isAreaCode = (v: string) => /^(\d{2}|\d{4}|\d{6})$/.test(v);

export async function findArea(q: Queryable, code: string): Promise<Area | undefined> {
  if (!isAreaCode(code)) return undefined;
  const { rows } = await q.query<AreaRow>('SELECT code, level, parent, name_th, name_en FROM coverage_areas WHERE code = $1', [code]);
  return rows[0] && fromRow(rows[0]);
}

/** The areas one level below `parent` (provinces when null), by code. */
export async function childAreas(q: Queryable, parent: string | null): Promise<Area[]> {
  const { rows } = await q.query<AreaRow>(
    'SELECT code, level, parent, name_th, name_en FROM coverage_areas WHERE parent IS NOT DISTINCT FROM $1 ORDER BY code',
    [parent],
  );
  return rows.map(fromRow);
}

export async function provinceCodeByName(q: Queryable, province: string): Promise<string | undefined> {
  const { rows } = await q.query<{ code: string }>('SELECT code FROM coverage_areas WHERE level = 1 AND name_th = $1', [province.trim()]);
  return rows[0]?.code;
}

export async function districtCode(q: Queryable, province: string, district: string): Promise<string | undefined> {
  const { rows } = await q.query<{ code: string }>(
    `SELECT d.code FROM coverage_areas d JOIN coverage_areas p ON p.code = d.parent
     WHERE d.level = 2 AND d.name_th = $2 AND p.name_th = $1`,
    [province.trim(), district.trim()],
  );
  return rows[0]?.code;
}

export async function subdistrictCode(q: Queryable, province: string, district: string, subdistrict: string): Promise<string | undefined> {
  const { rows } = await q.query<{ code: string }>(
    `SELECT s.code FROM coverage_areas s JOIN coverage_areas d ON d.code = s.parent JOIN coverage_areas p ON p.code = d.parent
     WHERE s.level = 3 AND s.name_th = $3 AND d.name_th = $2 AND p.name_th = $1`,
    [province.trim(), district.trim(), subdistrict.trim()],
  );
  return rows[0]?.code;
}
