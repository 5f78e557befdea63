// Remote proofing by register check (IAL 1.2): the account's ID number, names and birth date with the
// laser code the person types from the back of their card, confirmed by the population register.
// Three tries a day per account; a failed or unavailable check never grants a level.
import type { Database } from '../../../../kernel/db/index.ts';
import type { Accounts } from '../../../account/index.ts';
import { maskPid } from '../../../../kernel/pii/index.ts';
import { birthdateToBE, normalizeLaserCode, PopulationRegisterUnavailable, type PopulationRegister } from '../../population_register.ts';
import { recordEvidence } from '../../evidence.ts';

export const METHOD = 'register_check';
export const TRIES_PER_DAY = 3;

export type RegisterCheckResult = 'verified' | 'not_valid' | 'bad_laser_code' | 'too_many_tries' | 'unavailable';

export function createRegisterCheck(deps: { db: Database; accounts: Accounts; register: PopulationRegister | undefined; triesPerDay?: number }) {
  const { db, accounts, register } = deps;
  const limit = deps.triesPerDay ?? TRIES_PER_DAY;

  const attempt = (sub: string, outcome: string) => db.query('INSERT INTO proofing_attempts (sub, method, outcome) VALUES ($1, $2, $3)', [sub, METHOD, outcome]);

  return {
    available: Boolean(register),

    async triesLeft(sub: string): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM proofing_attempts WHERE sub = $1 AND method = $2 AND outcome <> 'unavailable' AND at > now() - interval '1 day'`,
        [sub, METHOD],
      );
      return Math.max(0, limit - Number(rows[0]!.n));
    },

    async check(sub: string, laserInput: string): Promise<RegisterCheckResult> {
      if (!register) return 'unavailable';
      const laserCode = normalizeLaserCode(laserInput);
      if (!laserCode) return 'bad_laser_code';
      if ((await this.triesLeft(sub)) <= 0) return 'too_many_tries';
      const account = await accounts.findBySub(sub);
      if (!account) return 'unavailable';
      let status;
      try {
        status = await register.checkCard({ pid: account.pid, givenName: account.givenName, familyName: account.familyName, birthdateBE: birthdateToBE(account.birthdate), laserCode });
      } catch (err) {
        if (!(err instanceof PopulationRegisterUnavailable)) throw err;
        await attempt(sub, 'unavailable');
        return 'unavailable';
      }
      await attempt(sub, status);
      if (status !== 'valid') return 'not_valid';
      const recorded = await db.tx(async (q) => {
        // the evidence vouches for what the register saw: not if the names changed while it answered
        const now = await accounts.forUpdate(q, sub);
        if (!now || now.pid !== account.pid || now.givenName !== account.givenName || now.familyName !== account.familyName || now.birthdate !== account.birthdate) return false;
        await recordEvidence(q, {
          sub,
          method: METHOD,
          checks: ['register_check'],
          documents: [{ type: 'idcard', issuer: 'DOPA', number: maskPid(account.pid) }],
          decision: 'approved',
          reason: 'card status valid; ID number, names, birth date and laser code match',
        });
        return true;
      });
      return recorded ? 'verified' : 'not_valid';
    },
  };
}

export type RegisterCheck = ReturnType<typeof createRegisterCheck>;
