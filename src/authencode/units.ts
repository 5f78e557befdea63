// Service units, imported from the unit register's CSV (the same format the IdP imports).
import type { Database, Queryable } from '../kernel/db/index.ts';
import { importCsv, type ImportResult, type Outcome } from '../kernel/registry/import.ts';
import { UNIT_COLUMNS, unitSchema, type UnitRow } from '../kernel/registry/units.ts';

export interface Unit {
  hcode: string;
  nameTh: string;
  nameEn: string;
  province: string;
}

async function upsert(q: Queryable, u: UnitRow): Promise<Outcome> {
  const { rows } = await q.query<{ inserted: boolean; changed: boolean }>(
    `INSERT INTO authencode.units (hcode, name_th, name_en, unit_type, province, district, subdistrict)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (hcode) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, unit_type = EXCLUDED.unit_type,
       province = EXCLUDED.province, district = EXCLUDED.district, subdistrict = EXCLUDED.subdistrict, updated_at = now()
       WHERE (units.name_th, units.name_en, units.unit_type, units.province, units.district, units.subdistrict)
         IS DISTINCT FROM (EXCLUDED.name_th, EXCLUDED.name_en, EXCLUDED.unit_type, EXCLUDED.province, EXCLUDED.district, EXCLUDED.subdistrict)
     RETURNING (xmax = 0) AS inserted, true AS changed`,
    [u.hcode, u.name_th, u.name_en ?? '', u.unit_type, u.province, u.district, u.subdistrict],
  );
  if (!rows[0]) return 'unchanged';
  return rows[0].inserted ? 'imported' : 'updated';
}

export function importUnits(db: Database, file: string, onProgress?: (rows: number) => void): Promise<ImportResult> {
  return importCsv({ db, file, columns: UNIT_COLUMNS, schema: unitSchema, upsert, onProgress });
}

const toUnit = (r: { hcode: string; name_th: string; name_en: string; province: string }): Unit => ({ hcode: r.hcode, nameTh: r.name_th, nameEn: r.name_en, province: r.province });

export async function findUnit(db: Queryable, hcode: string): Promise<Unit | undefined> {
  const { rows } = await db.query<{ hcode: string; name_th: string; name_en: string; province: string }>(
    'SELECT hcode, name_th, name_en, province FROM authencode.units WHERE hcode = $1',
    [hcode],
  );
  return rows[0] && toUnit(rows[0]);
}

export async function listUnits(db: Queryable): Promise<Unit[]> {
  const { rows } = await db.query<{ hcode: string; name_th: string; name_en: string; province: string }>('SELECT hcode, name_th, name_en, province FROM authencode.units ORDER BY hcode');
  return rows.map(toUnit);
}
