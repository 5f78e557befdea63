// The unit register's CSV format (hcode, names, type, place), shared by every service that imports units.
import { z } from 'zod';

export const UNIT_COLUMNS = ['hcode', 'name_th', 'name_en', 'unit_type', 'province', 'district', 'subdistrict'] as const;

const text = (max: number) => z.string().trim().min(1, 'is required').max(max, `longer than ${max} characters`);
export const unitSchema = z.object({
  hcode: z.string().trim().regex(/^\d{5}$/, 'hcode must be 5 digits'),
  name_th: text(200),
  name_en: z.string().trim().max(200).transform((v) => v || null),
  unit_type: text(100),
  province: text(100),
  district: text(100),
  subdistrict: text(100),
});
export type UnitRow = z.output<typeof unitSchema>;
