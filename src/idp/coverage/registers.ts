// The coverage denominators, imported with the registers' CSV importer (every row validated, bad rows
// reported by line, idempotent upserts, progress): the population register's citizens per sub-district
// with the area names (Thai and English), and the HR register's personnel per unit and employment type.
// The only code that writes coverage_areas, coverage_population and coverage_personnel.
import { z } from 'zod';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { importCsv, isoDate, type ImportResult, type Outcome } from '../../kernel/registry/import.ts';
import { COUNTRY_PERSONNEL_COLUMNS, COUNTRY_POPULATION_COLUMNS } from '../../kernel/registry/synthetic_country.ts';
import { unitPlace } from '../units/index.ts';
import { districtCode } from './areas.ts';

/**
 * Employment types the KPI leaves out of the personnel denominator: periodic, daily and contract hires
 * (ลูกจ้างรายคาบ / รายวัน / จ้างเหมาบริการ, as the indicator's definition says). Compared after trimming.
 */
export const EXCLUDED_EMPLOYMENT_TYPES = ['ลูกจ้างรายคาบ', 'ลูกจ้างรายวัน', 'รายคาบ', 'รายวัน', 'จ้างเหมาบริการ', 'จ้างเหมา'];
export const isCountedEmployment = (type: string) => !EXCLUDED_EMPLOYMENT_TYPES.includes(type.normalize('NFC').trim());

const name = z.string().trim().min(1, 'is required').max(100, 'longer than 100 characters');
const date = z.string().trim().transform((v, ctx) => {
  const iso = isoDate(v);
  if (!iso) ctx.addIssue({ code: 'custom', message: 'must be YYYY-MM-DD or dd/mm/yyyy' });
  return iso ?? '';
});
const count = (max: number) => z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).refine((n) => n <= max, `larger than ${max}`);

const populationRow = z.object({
  subdistrict_code: z.string().trim().regex(/^\d{6}$/, 'must be 6 digits (province, district, sub-district)'),
  province_th: name, province_en: name, district_th: name, district_en: name, subdistrict_th: name, subdistrict_en: name,
  citizens: count(50_000_000),
  as_of: date,
});
const personnelRow = z.object({
  hcode: z.string().trim().regex(/^\d{5}$/, 'hcode must be 5 digits'),
  employment_type: name,
  headcount: count(1_000_000),
  as_of: date,
});

async function upsertArea(q: Queryable, code: string, parent: string | null, th: string, en: string): Promise<boolean> {
  const { rows } = await q.query(
    `INSERT INTO coverage_areas AS a (code, level, parent, name_th, name_en) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en
     WHERE (a.name_th, a.name_en) IS DISTINCT FROM (EXCLUDED.name_th, EXCLUDED.name_en) RETURNING code`,
    [code, code.length / 2, parent, th, en],
  );
  return rows.length > 0;
}

export function createCoverageRegisters(db: Database) {
  // within one import, a province or district already written with these names is not written again
  let seen = new Map<string, string>();
  const area = async (q: Queryable, code: string, parent: string | null, th: string, en: string) => {
    if (seen.get(code) === `${th}\n${en}`) return false;
    const changed = await upsertArea(q, code, parent, th, en);
    seen.set(code, `${th}\n${en}`);
    return changed;
  };
  let districts = new Map<string, string | null>();

  async function population(q: Queryable, r: z.output<typeof populationRow>): Promise<Outcome> {
    const p = r.subdistrict_code.slice(0, 2);
    const d = r.subdistrict_code.slice(0, 4);
    const areas = [await area(q, p, null, r.province_th, r.province_en), await area(q, d, p, r.district_th, r.district_en), await upsertArea(q, r.subdistrict_code, d, r.subdistrict_th, r.subdistrict_en)];
    const { rows } = await q.query<{ inserted: boolean }>(
      `INSERT INTO coverage_population AS c (subdistrict, citizens, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (subdistrict) DO UPDATE SET citizens = EXCLUDED.citizens, as_of = EXCLUDED.as_of
       WHERE (c.citizens, c.as_of) IS DISTINCT FROM (EXCLUDED.citizens, EXCLUDED.as_of) RETURNING (xmax = 0) AS inserted`,
      [r.subdistrict_code, r.citizens, r.as_of],
    );
    if (rows[0]?.inserted) return 'imported';
    return rows.length || areas.some(Boolean) ? 'updated' : 'unchanged';
  }

  async function personnel(q: Queryable, r: z.output<typeof personnelRow>): Promise<Outcome> {
    let district = districts.get(r.hcode);
    if (district === undefined) {
      const place = await unitPlace(q, r.hcode);
      district = place ? ((await districtCode(q, place.province, place.district)) ?? null) : null;
      districts.set(r.hcode, district);
    }
    const { rows } = await q.query<{ inserted: boolean }>(
      `INSERT INTO coverage_personnel AS c (hcode, employment_type, headcount, counted, as_of, district) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (hcode, employment_type) DO UPDATE SET headcount = EXCLUDED.headcount, counted = EXCLUDED.counted, as_of = EXCLUDED.as_of, district = EXCLUDED.district
       WHERE (c.headcount, c.counted, c.as_of, c.district) IS DISTINCT FROM (EXCLUDED.headcount, EXCLUDED.counted, EXCLUDED.as_of, EXCLUDED.district)
       RETURNING (xmax = 0) AS inserted`,
      [r.hcode, r.employment_type, r.headcount, isCountedEmployment(r.employment_type), r.as_of, district],
    );
    return rows[0] ? (rows[0].inserted ? 'imported' : 'updated') : 'unchanged';
  }

  return {
    /** subdistrict_code, province/district/subdistrict names in Thai and English, citizens, as_of */
    importPopulation(file: string, onProgress?: (rows: number) => void): Promise<ImportResult> {
      seen = new Map();
      return importCsv({ db, file, columns: COUNTRY_POPULATION_COLUMNS, schema: populationRow, upsert: population, onProgress });
    },
    /** hcode, employment_type, headcount, as_of; import the unit register first (each unit's district comes from it) */
    importPersonnel(file: string, onProgress?: (rows: number) => void): Promise<ImportResult> {
      districts = new Map();
      return importCsv({ db, file, columns: COUNTRY_PERSONNEL_COLUMNS, schema: personnelRow, upsert: personnel, onProgress });
    },
    /** No personnel counts yet (the last register a seeding imports: an interrupted one is finished next time). */
    async isEmpty(): Promise<boolean> {
      return (await db.query('SELECT 1 FROM coverage_personnel LIMIT 1')).rows.length === 0;
    },
  };
}

export type CoverageRegisters = ReturnType<typeof createCoverageRegisters>;
