// Authen Code request summaries: confirmed codes per unit, claim type and day of service.
import type { Queryable } from '../../kernel/db/index.ts';
import type { ReportRow } from './render.ts';

export const MAX_REPORT_DAYS = 366;

export async function confirmedCounts(db: Queryable, f: { hcode: string; from: string; to: string }): Promise<ReportRow[]> {
  const { rows } = await db.query<{ day: string; hcode: string; unit_name: string; claim_type: string; count: number }>(
    `SELECT to_char(v.service_day, 'YYYY-MM-DD') AS day, v.hcode, u.name_th AS unit_name, v.claim_type, count(*)::int AS count
     FROM authencode.visits v JOIN authencode.units u ON u.hcode = v.hcode
     WHERE v.hcode = $1 AND v.status = 'confirmed' AND v.service_day BETWEEN $2::date AND $3::date
     GROUP BY v.service_day, v.hcode, u.name_th, v.claim_type
     ORDER BY v.service_day, v.claim_type`,
    [f.hcode, f.from, f.to],
  );
  return rows.map((r) => ({ day: r.day, hcode: r.hcode, unitName: r.unit_name, claimType: r.claim_type, count: r.count }));
}

const SHORT_MONTHS = {
  th: ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
/** A day on the chart's axis (the title gives the years): 2026-12-02 → "2 ธ.ค." / "2 Dec". */
export const chartDay = (lang: 'th' | 'en', iso: string) => `${Number(iso.slice(8, 10))} ${SHORT_MONTHS[lang][Number(iso.slice(5, 7)) - 1]}`;

/** Totals per day, every day of the range present (zero when none), for the chart; labels are YYYY-MM-DD unless `label` says otherwise. */
export function perDay(rows: ReportRow[], from: string, to: string, label: (day: string) => string = (d) => d): Array<{ label: string; count: number }> {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.day, (totals.get(r.day) ?? 0) + r.count);
  const out: Array<{ label: string; count: number }> = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86400_000)) {
    const day = d.toISOString().slice(0, 10);
    out.push({ label: label(day), count: totals.get(day) ?? 0 });
  }
  return out;
}
