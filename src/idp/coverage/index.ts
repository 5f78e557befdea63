// Digital ID coverage (MOPH indicator 54; docs/coverage.md), as the rest of the IdP sees it: the
// denominators' import, the refresher that keeps the numerators current from noted changes, the
// reports and daily snapshots, the pages and API, and the test zone's synthetic country.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type * as jose from 'jose';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import type { Ial } from '../../kernel/assurance.ts';
import { thaiDay } from '../../kernel/thai/time.ts';
import { syntheticCountry, writeCountryFiles } from '../../kernel/registry/synthetic_country.ts';
import type { Accounts } from '../account/index.ts';
import type { Units } from '../units/index.ts';
import { createCoverageRegisters } from './registers.ts';
import { createRefresher } from './refresh.ts';
import { createReports } from './report.ts';
import { coverageRoutes } from './routes.ts';
import type { ResidenceRegister } from './residence.ts';
import { createCoverageApiClients } from './api_clients.ts';
import { findClientRecord } from '../oidc/clients.ts';

export { noteCoverageChange } from './changes.ts';
export { HttpResidenceRegister, type Residence, type ResidenceRegister } from './residence.ts';
export { EXCLUDED_EMPLOYMENT_TYPES } from './registers.ts';
export { TARGETS, currentPeriod } from './targets.ts';
export { COUNTRY, type Report } from './report.ts';
export { createCoverageApiClients, CoverageApiClientError, findCoverageApiClient, type CoverageApiClient } from './api_clients.ts';

/** How often a process writes the day's snapshot (the last write of a day stands). */
const SNAPSHOT_EVERY_MS = 15 * 60_000;

export function createCoverage(deps: { db: Database; accounts: Accounts; units: Units; residence?: ResidenceRegister; minIal: Ial }) {
  const { db, units } = deps;
  const registers = createCoverageRegisters(db);
  const refresher = createRefresher(deps);
  const reports = createReports({ db, units });
  const apiClients = createCoverageApiClients(db);
  let lastSnapshot = 0;

  return {
    registers,
    /** the clients allowed to read the API (mpid coverage client allow / revoke) */
    apiClients,
    refresher,
    reports,

    /** The refresher's round: every noted change, in batches of 1000, until none is left that can be done now. */
    async tick(): Promise<{ done: number; waiting: number }> {
      let done = 0;
      let waiting = 0;
      for (;;) {
        const r = await refresher.refresh(1000);
        done += r.done;
        waiting += r.waiting;
        if (r.done + r.waiting < 1000 || r.done === 0) return { done, waiting };
      }
    },

    /** The day's snapshot (Bangkok day), when this process has not written one for a while; run by the sweeper. */
    async snapshotIfDue(now = new Date()): Promise<boolean> {
      if (now.getTime() - lastSnapshot < SNAPSHOT_EVERY_MS) return false;
      lastSnapshot = now.getTime();
      await reports.snapshot(thaiDay(now));
      return true;
    },

    routes(o: { provider: Provider; issuer: string; yearStart: string; apiAudience: string; publicJwks: jose.JWK[]; today?: () => string }) {
      const apiClient = async (clientId: string) => {
        const client = await findClientRecord(db, clientId);
        return client && !client.disabled ? apiClients.find(clientId) : undefined;
      };
      return coverageRoutes({ ...o, units, reports, minIal: deps.minIal, apiClient });
    },

    /**
     * Test zone: the synthetic country (77 provinces, 66 million citizens as counts, Sa Kaeo as the seed
     * document gives it, a hospital per district) written to `dir` and imported, when no population is imported yet.
     */
    async seedSyntheticCountry(dir: string): Promise<boolean> {
      if (!(await registers.isEmpty())) return false;
      mkdirSync(dir, { recursive: true });
      const files = { population: path.join(dir, 'coverage-population.csv'), units: path.join(dir, 'coverage-units.csv'), personnel: path.join(dir, 'coverage-personnel.csv') };
      await writeCountryFiles(syntheticCountry(), files);
      await registers.importPopulation(files.population);
      await units.importFile(files.units);
      await registers.importPersonnel(files.personnel);
      return true;
    },
  };
}

export type Coverage = ReturnType<typeof createCoverage>;
