// The coverage figures of an area's parts (the country's provinces, a province's districts, a district's
// sub-districts): citizens and personnel (B), those with a digital ID (A), units that are service points
// and appointed verifiers. Read from the denominators, coverage_counts and the unit register's
// aggregate: the work grows with the number of areas, never with the number of accounts.
// Also the daily snapshots (the trend's history): the only code that writes coverage_snapshots.
import type { Database } from '../../kernel/db/index.ts';
import type { Units } from '../units/index.ts';
import { childAreas, findArea, type Area } from './areas.ts';

export interface Figures {
  citizens: number;
  citizensDid: number;
  /** null where personnel are not counted (sub-districts: personnel count at their unit's district) */
  personnel: number | null;
  personnelDid: number | null;
  servicePoints: number | null;
  verifiers: number | null;
}

export interface AreaFigures extends Figures {
  area: Area;
}

export interface Report {
  /** undefined: the whole country */
  area?: Area;
  /** the areas above it, the province first */
  ancestors: Area[];
  rows: AreaFigures[];
  total: Figures;
  /** the registers' as-of dates (the latest when rows differ) */
  asOf: { population?: string; personnel?: string };
}

export const COUNTRY = 'TH';

const sumBy = (rows: Array<{ code: string; n: string | number }>) => new Map(rows.map((r) => [r.code, Number(r.n)]));

export function createReports(deps: { db: Database; units: Units }) {
  const { db, units } = deps;

  /** Figures for every area at `level` under `prefix` ('' = everywhere), by code. */
  async function figuresAt(level: 1 | 2 | 3, prefix: string): Promise<Map<string, Figures>> {
    const n = level * 2;
    const like = `${prefix}%`;
    const [citizens, citizensDid, personnel, personnelDid] = await Promise.all([
      db.query<{ code: string; n: string }>('SELECT left(subdistrict, $1) AS code, sum(citizens) AS n FROM coverage_population WHERE subdistrict LIKE $2 GROUP BY 1', [n, like]),
      db.query<{ code: string; n: string }>("SELECT left(area, $1) AS code, sum(with_did) AS n FROM coverage_counts WHERE kind = 'citizen' AND area LIKE $2 GROUP BY 1", [n, like]),
      level < 3 ? db.query<{ code: string; n: string }>('SELECT left(district, $1) AS code, sum(headcount) AS n FROM coverage_personnel WHERE counted AND district LIKE $2 GROUP BY 1', [n, like]) : undefined,
      level < 3 ? db.query<{ code: string; n: string }>("SELECT left(area, $1) AS code, sum(with_did) AS n FROM coverage_counts WHERE kind = 'personnel' AND area LIKE $2 GROUP BY 1", [n, like]) : undefined,
    ]);
    const milestones = level < 3 ? await milestonesAt(n, prefix) : undefined;
    const c = sumBy(citizens.rows);
    const cd = sumBy(citizensDid.rows);
    const p = personnel && sumBy(personnel.rows);
    const pd = personnelDid && sumBy(personnelDid.rows);
    const codes = new Set([...c.keys(), ...cd.keys(), ...(p?.keys() ?? []), ...(pd?.keys() ?? []), ...(milestones?.keys() ?? [])]);
    return new Map(
      [...codes].map((code) => [
        code,
        {
          citizens: c.get(code) ?? 0,
          citizensDid: cd.get(code) ?? 0,
          personnel: p ? (p.get(code) ?? 0) : null,
          personnelDid: pd ? (pd.get(code) ?? 0) : null,
          servicePoints: milestones ? (milestones.get(code)?.servicePoints ?? 0) : null,
          verifiers: milestones ? (milestones.get(code)?.verifiers ?? 0) : null,
        },
      ]),
    );
  }

  /** Service points and verifiers by the code prefix of length n, from the unit register's places. */
  async function milestonesAt(n: number, prefix: string) {
    const [places, districts] = await Promise.all([
      units.milestonesByPlace(),
      db.query<{ code: string; district: string; province: string }>(
        'SELECT d.code, d.name_th AS district, p.name_th AS province FROM coverage_areas d JOIN coverage_areas p ON p.code = d.parent WHERE d.level = 2 AND d.code LIKE $1',
        [`${prefix.slice(0, 4)}%`],
      ),
    ]);
    const codeOf = new Map(districts.rows.map((r) => [`${r.province}/${r.district}`, r.code]));
    const out = new Map<string, { servicePoints: number; verifiers: number }>();
    for (const m of places) {
      const code = codeOf.get(`${m.province}/${m.district}`);
      if (!code || !code.startsWith(prefix)) continue;
      const key = code.slice(0, n);
      const o = out.get(key) ?? { servicePoints: 0, verifiers: 0 };
      o.servicePoints += m.servicePoints;
      o.verifiers += m.verifiers;
      out.set(key, o);
    }
    return out;
  }

  function total(rows: Figures[]): Figures {
    const add = (k: keyof Figures) => (rows.some((r) => r[k] === null) || !rows.length ? (rows.length ? null : 0) : rows.reduce((a, r) => a + (r[k] as number), 0));
    return { citizens: add('citizens') ?? 0, citizensDid: add('citizensDid') ?? 0, personnel: add('personnel'), personnelDid: add('personnelDid'), servicePoints: add('servicePoints'), verifiers: add('verifiers') };
  }

  async function asOf(prefix: string) {
    const [p, h] = await Promise.all([
      db.query<{ d: string | null }>("SELECT to_char(max(as_of), 'YYYY-MM-DD') AS d FROM coverage_population WHERE subdistrict LIKE $1", [`${prefix}%`]),
      db.query<{ d: string | null }>("SELECT to_char(max(as_of), 'YYYY-MM-DD') AS d FROM coverage_personnel WHERE district LIKE $1", [`${prefix.slice(0, 4)}%`]),
    ]);
    return { population: p.rows[0]?.d ?? undefined, personnel: h.rows[0]?.d ?? undefined };
  }

  return {
    findArea: (code: string) => findArea(db, code),

    /** The parts of `code` (undefined: the country), limited to `provinces` when given (a province officer's). */
    async report(code?: string, provinces?: string[]): Promise<Report | undefined> {
      const area = code ? await findArea(db, code) : undefined;
      if (code && !area) return undefined;
      const children = (await childAreas(db, area?.code ?? null)).filter((a) => !provinces || provinces.includes(a.code.slice(0, 2)));
      const level = ((area?.level ?? 0) + 1) as 1 | 2 | 3;
      if (level > 3) return undefined;
      const figures = await figuresAt(level, area?.code ?? '');
      const none: Figures = { citizens: 0, citizensDid: 0, personnel: level < 3 ? 0 : null, personnelDid: level < 3 ? 0 : null, servicePoints: level < 3 ? 0 : null, verifiers: level < 3 ? 0 : null };
      const rows = children.map((a) => ({ area: a, ...(figures.get(a.code) ?? none) }));
      const ancestors: Area[] = [];
      for (let c = area?.parent; c; ) {
        const up = await findArea(db, c);
        if (!up) break;
        ancestors.unshift(up);
        c = up.parent;
      }
      return { area, ancestors, rows, total: rows.length ? total(rows) : none, asOf: await asOf(area?.code ?? '') };
    },

    /** Writes today's figures for the country, every province and every district (the last write of a day stands). */
    async snapshot(day: string): Promise<number> {
      const districts = await figuresAt(2, '');
      const byProvince = new Map<string, Figures[]>();
      for (const [code, f] of districts) byProvince.set(code.slice(0, 2), [...(byProvince.get(code.slice(0, 2)) ?? []), f]);
      const rows: Array<[string, Figures]> = [[COUNTRY, total([...districts.values()])], ...[...byProvince].map(([p, fs]) => [p, total(fs)] as [string, Figures]), ...districts];
      await db.tx(async (q) => {
        for (let i = 0; i < rows.length; i += 200) {
          const chunk = rows.slice(i, i + 200);
          const params: unknown[] = [day];
          const values = chunk.map(([area, f], j) => {
            params.push(area, f.citizens, f.citizensDid, f.personnel ?? 0, f.personnelDid ?? 0);
            const b = 2 + j * 5;
            return `($1, $${b}, $${b + 1}, $${b + 2}, $${b + 3}, $${b + 4})`;
          });
          await q.query(
            `INSERT INTO coverage_snapshots (day, area, citizens, citizens_did, personnel, personnel_did) VALUES ${values.join(', ')}
             ON CONFLICT (area, day) DO UPDATE SET citizens = EXCLUDED.citizens, citizens_did = EXCLUDED.citizens_did, personnel = EXCLUDED.personnel, personnel_did = EXCLUDED.personnel_did`,
            params,
          );
        }
      });
      return rows.length;
    },

    /** The daily history of an area (COUNTRY, a province or a district) from `from`, oldest first. */
    async trend(area: string, from: string): Promise<Array<{ day: string; citizens: number; citizensDid: number; personnel: number; personnelDid: number }>> {
      const { rows } = await db.query<{ day: string; citizens: string; citizens_did: string; personnel: string; personnel_did: string }>(
        "SELECT to_char(day, 'YYYY-MM-DD') AS day, citizens, citizens_did, personnel, personnel_did FROM coverage_snapshots WHERE area = $1 AND day >= $2 ORDER BY day LIMIT 800",
        [area, from],
      );
      return rows.map((r) => ({ day: r.day, citizens: Number(r.citizens), citizensDid: Number(r.citizens_did), personnel: Number(r.personnel), personnelDid: Number(r.personnel_did) }));
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
