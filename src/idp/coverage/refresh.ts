// Keeps the numerators current: each person noted in coverage_pending is recomputed (do they have a
// digital ID — IAL at least the configured minimum; where do they live, by the population register;
// are they linked personnel, at which unit's district) and coverage_counts move by the difference from
// what coverage_members held. One transaction per person, the pending row locked, so a change noted
// meanwhile waits and is recomputed on the next round. The only code that writes coverage_members,
// coverage_counts and coverage_pending (besides changes.ts noting).
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { ialRank, type Ial } from '../../kernel/assurance.ts';
import type { Accounts } from '../account/index.ts';
import { accountIal } from '../proofing/index.ts';
import { linkedPositions } from '../personnel/index.ts';
import { unitPlace } from '../units/index.ts';
import { districtCode, subdistrictCode } from './areas.ts';
import { isCountedEmployment } from './registers.ts';
import type { ResidenceRegister } from './residence.ts';

interface Member {
  residence: string | null;
  residenceKnown: boolean;
  citizenDid: boolean;
  personnelDistrict: string | null;
  personnelDid: boolean;
}

type MemberRow = { residence: string | null; residence_known: boolean; citizen_did: boolean; personnel_district: string | null; personnel_did: boolean };
const fromRow = (r: MemberRow): Member => ({ residence: r.residence, residenceKnown: r.residence_known, citizenDid: r.citizen_did, personnelDistrict: r.personnel_district, personnelDid: r.personnel_did });

async function move(q: Queryable, area: string | null, kind: 'citizen' | 'personnel', by: number) {
  if (!area || !by) return;
  await q.query(
    `INSERT INTO coverage_counts (area, kind, with_did) VALUES ($1, $2, $3)
     ON CONFLICT (area, kind) DO UPDATE SET with_did = coverage_counts.with_did + EXCLUDED.with_did`,
    [area, kind, by],
  );
}

export function createRefresher(deps: { db: Database; accounts: Accounts; residence?: ResidenceRegister; minIal: Ial }) {
  const { db, accounts, residence, minIal } = deps;

  async function residenceCode(pid: string): Promise<{ code: string | null; known: boolean }> {
    if (!residence) return { code: null, known: false };
    const r = await residence.residence(pid);
    if (!r) return { code: null, known: true };
    if (r.subdistrictCode) return { code: r.subdistrictCode, known: true };
    if (!r.province || !r.district || !r.subdistrict) return { code: null, known: true };
    return { code: (await subdistrictCode(db, r.province, r.district, r.subdistrict)) ?? null, known: true };
  }

  /** Recomputes one person; false when another process holds their pending row (it is on it). */
  async function recompute(sub: string): Promise<boolean> {
    const before = await db.query<MemberRow>('SELECT residence, residence_known, citizen_did, personnel_district, personnel_did FROM coverage_members WHERE sub = $1', [sub]);
    const account = await accounts.findLiveBySub(sub);
    // the register is asked once per person, outside the transaction (it may take seconds)
    const known = before.rows[0]?.residence_known ? { code: before.rows[0].residence, known: true } : account ? await residenceCode(account.pid) : { code: null, known: false };
    return db.tx(async (q) => {
      const pending = await q.query<{ version: number }>('SELECT version FROM coverage_pending WHERE sub = $1 FOR UPDATE SKIP LOCKED', [sub]);
      if (!pending.rows.length) return false;
      const old = (await q.query<MemberRow>('SELECT residence, residence_known, citizen_did, personnel_district, personnel_did FROM coverage_members WHERE sub = $1 FOR UPDATE', [sub])).rows[0];
      let next: Member | undefined;
      if (account) {
        const did = ialRank(await accountIal(q, sub)) >= ialRank(minIal);
        let personnelDistrict: string | null = null;
        for (const p of await linkedPositions(q, sub)) {
          if (!isCountedEmployment(p.employmentType)) continue;
          const place = await unitPlace(q, p.hcode);
          personnelDistrict = place ? ((await districtCode(q, place.province, place.district)) ?? null) : null;
          if (personnelDistrict) break;
        }
        next = { residence: known.code, residenceKnown: known.known, citizenDid: did, personnelDistrict, personnelDid: did && personnelDistrict !== null };
      }
      const was = old ? fromRow(old) : undefined;
      if (was?.citizenDid) await move(q, was.residence, 'citizen', -1);
      if (was?.personnelDid) await move(q, was.personnelDistrict, 'personnel', -1);
      if (next?.citizenDid) await move(q, next.residence, 'citizen', 1);
      if (next?.personnelDid) await move(q, next.personnelDistrict, 'personnel', 1);
      if (next) {
        await q.query(
          `INSERT INTO coverage_members (sub, residence, residence_known, citizen_did, personnel_district, personnel_did) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (sub) DO UPDATE SET residence = EXCLUDED.residence, residence_known = EXCLUDED.residence_known, citizen_did = EXCLUDED.citizen_did,
             personnel_district = EXCLUDED.personnel_district, personnel_did = EXCLUDED.personnel_did, updated_at = now()`,
          [sub, next.residence, next.residenceKnown, next.citizenDid, next.personnelDistrict, next.personnelDid],
        );
      } else if (was) {
        await q.query('DELETE FROM coverage_members WHERE sub = $1', [sub]);
      }
      await q.query('DELETE FROM coverage_pending WHERE sub = $1', [sub]);
      return true;
    });
  }

  return {
    /**
     * Recomputes up to `limit` noted people, oldest first; how many were done. A person whose residence
     * cannot be looked up now stays noted (tried again next round); other errors are thrown.
     */
    async refresh(limit = 1000): Promise<{ done: number; waiting: number }> {
      const { rows } = await db.query<{ sub: string }>('SELECT sub FROM coverage_pending ORDER BY noted_at LIMIT $1', [limit]);
      let done = 0;
      let waiting = 0;
      for (const { sub } of rows) {
        try {
          if (await recompute(sub)) done++;
        } catch (err) {
          if ((err as Error).name !== 'ResidenceUnavailable') throw err;
          waiting++;
        }
      }
      return { done, waiting };
    },

    /** Notes every account again (after changing COVERAGE_MIN_IAL, or a first import): the refresher recounts them in rounds. */
    async noteEveryone(): Promise<number> {
      const { rowCount } = await db.query(
        `INSERT INTO coverage_pending (sub) SELECT sub FROM coverage_members
         ON CONFLICT (sub) DO UPDATE SET version = coverage_pending.version + 1, noted_at = now()`,
      );
      return rowCount;
    },
  };
}

export type Refresher = ReturnType<typeof createRefresher>;
