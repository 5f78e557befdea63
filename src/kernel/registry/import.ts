// Importing a register from CSV, the same way for every register: a header row naming the columns,
// every row validated (bad rows reported with their line number, the rest imported), upserts in
// transactions of 500 rows that say whether a row was new, changed or unchanged, progress callbacks.
import type { z } from 'zod';
import type { Database, Queryable } from '../db/index.ts';
import { readCsv } from './csv.ts';
import { toCommonEraYear } from '../thai/dates.ts';

const BATCH = 500;

export class RegisterFileError extends Error {
  override name = 'RegisterFileError';
}

export interface ImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  errors: Array<{ line: number; message: string }>;
}

export type Outcome = 'imported' | 'updated' | 'unchanged';

export async function importCsv<S extends z.ZodType>(opts: {
  db: Database;
  file: string;
  columns: readonly string[];
  schema: S;
  upsert: (q: Queryable, row: z.output<S>) => Promise<Outcome>;
  onProgress?: (rows: number) => void;
}): Promise<ImportResult> {
  const { db, file, columns: wanted, schema, upsert, onProgress } = opts;
  const result: ImportResult = { imported: 0, updated: 0, unchanged: 0, errors: [] };
  let columns: number[] | undefined;
  let batch: Array<z.output<S>> = [];
  let rows = 0;
  const flush = async () => {
    if (!batch.length) return;
    const outcomes = await db.tx(async (q) => {
      const out: Outcome[] = [];
      for (const r of batch) out.push(await upsert(q, r));
      return out;
    });
    for (const o of outcomes) result[o]++;
    batch = [];
  };
  try {
    for await (const { line, fields } of readCsv(file)) {
      if (!columns) {
        const header = fields.map((f) => f.trim().toLowerCase());
        const missing = wanted.filter((c) => !header.includes(c));
        if (missing.length) throw new RegisterFileError(`the header row lacks the column(s): ${missing.join(', ')}`);
        columns = wanted.map((c) => header.indexOf(c));
        continue;
      }
      rows++;
      const record = Object.fromEntries(wanted.map((c, i) => [c, fields[columns![i]!] ?? '']));
      const parsed = schema.safeParse(record);
      if (!parsed.success) {
        result.errors.push({ line, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      } else {
        batch.push(parsed.data);
        if (batch.length >= BATCH) await flush();
      }
      if (onProgress && rows % 1000 === 0) onProgress(rows);
    }
    await flush();
  } catch (err) {
    if (err instanceof RegisterFileError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new RegisterFileError(`cannot read ${file}: ${code}`);
    throw err;
  }
  if (!columns) throw new RegisterFileError('the file is empty: a header row is required');
  return result;
}

/** ISO dates, or Thai-style dd/mm/yyyy with a Buddhist-era year (2400 or later) or a Christian one. */
export function isoDate(v: string): string | undefined {
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const thai = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (thai) [d, m, y] = [Number(thai[1]), Number(thai[2]), Number(thai[3])];
  else return undefined;
  y = toCommonEraYear(y);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}
