// mpid personnel, population, units and coverage: the reference registers (CSV in), service points,
// the coverage denominators, the coverage API's allowed clients and the synthetic country.
import { z } from 'zod';
import type { Command } from '../../kernel/cli.ts';
import { printJson, readJsonStdin, UsageError } from '../../kernel/cli.ts';
import { createPii } from '../../kernel/pii/index.ts';
import { writePopulationCsv } from '../../kernel/registry/synthetic_population.ts';
import { createPersonnel } from '../personnel/index.ts';
import { createUnits } from '../units/index.ts';
import { withDb } from './context.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { syntheticCountry, writeCountryFiles } from '../../kernel/registry/synthetic_country.ts';
import { createCoverageRegisters } from '../coverage/registers.ts';
import { createCoverageApiClients } from '../coverage/api_clients.ts';
import { createUnitsAdmin } from '../admin/units/index.ts';

export const personnelImport: Command = {
  name: 'personnel import',
  summary: 'import the health personnel register (bad rows are reported by line; the rest is imported)',
  details: 'UTF-8 CSV with a header row. Prints {imported, updated, unchanged, errors: [{line, message}]}.',
  args: [{ name: 'file.csv', description: 'the register file' }],
  async run([file]) {
    await withDb(async (db, config) => {
      const personnel = createPersonnel(db, createPii(config.piiKey));
      printJson(await personnel.importFile(file!, (rows) => {
        if (rows % 5000 === 0) process.stderr.write(`mpid: ${rows} rows read…\n`);
      }));
    });
  },
};

const positive = (name: string, value: string | boolean | undefined, fallback: number) => {
  const v = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} needs a positive whole number`);
  return v;
};

export const populationGenerate: Command = {
  name: 'population generate',
  summary: 'the test zone\'s synthetic population register as CSV on stdout',
  details: 'The same seed gives the same people. Default: 2000 people, seed 2569.',
  options: {
    count: { type: 'string', value: 'N', description: 'how many people (default 2000)' },
    seed: { type: 'string', value: 'S', description: 'the random seed (default 2569)' },
  },
  async run(_args, options) {
    await writePopulationCsv(process.stdout, positive('count', options.count, 2000), positive('seed', options.seed, 2569));
  },
};

export const unitsImport: Command = {
  name: 'units import',
  summary: 'import the service-unit register (hcode,name_th,name_en,unit_type,province,district,subdistrict)',
  details: 'UTF-8 CSV with a header row. Prints {imported, updated, unchanged, errors: [{line, message}]}.',
  args: [{ name: 'file.csv', description: 'the register file' }],
  async run([file]) {
    await withDb(async (db, config) => printJson(await createUnits(db, createPii(config.piiKey)).importFile(file!)));
  },
};

export const unitsServicePoint: Command = {
  name: 'units service-point',
  summary: 'make a unit a Digital ID service point, or stop ({"operator": …, "reason": …} on stdin)',
  details: 'Service points are listed to people whose account lacks the IAL a relying party asks for. The same rule as /admin/units and the admin API: a reason is required (audited); a unit already in that state exits 1.',
  args: [
    { name: 'hcode', description: 'the unit\'s code' },
    { name: 'state', choices: ['on', 'off'], description: 'on: a service point; off: no longer' },
  ],
  stdin: '{operator, reason}',
  async run([hcode, state]) {
    const input = z.object({ operator: z.string().min(1), reason: z.string() }).parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const unitsAdmin = createUnitsAdmin({ db, units: createUnits(db, createPii(config.piiKey)) });
      const unit = await unitsAdmin.setServicePoint({ kind: 'operator', name: input.operator }, hcode!, { service_point: state === 'on', reason: input.reason });
      printJson({ hcode: unit.hcode, service_point: unit.service_point });
    });
  },
};

export const unitsList: Command = {
  name: 'units list',
  summary: 'service units by code or name, province, service points only (50 a page, as /admin/units)',
  options: {
    search: { type: 'string', value: 'TEXT', description: "a code's beginning or a part of the name" },
    province: { type: 'string', value: 'NAME', description: 'the province as the register names it' },
    'service-points': { type: 'boolean', description: 'service points only' },
    page: { type: 'string', value: 'N', description: 'the page (from 1)' },
  },
  async run(_args, options) {
    const page = Number.parseInt(typeof options.page === 'string' ? options.page : '1', 10);
    if (!Number.isInteger(page) || page < 1) throw new UsageError('--page is a whole number from 1');
    await withDb(async (db, config) => {
      const unitsAdmin = createUnitsAdmin({ db, units: createUnits(db, createPii(config.piiKey)) });
      printJson(await unitsAdmin.list({
        search: typeof options.search === 'string' ? options.search : undefined,
        province: typeof options.province === 'string' ? options.province : undefined,
        servicePoint: options['service-points'] === true ? true : undefined,
        page,
      }));
    });
  },
};

const progress = (rows: number) => {
  if (rows % 5000 === 0) process.stderr.write(`mpid: ${rows} rows read…\n`);
};

export const coverageImportPopulation: Command = {
  name: 'coverage import-population',
  summary: "import the population register's citizens per sub-district (the coverage denominator, with area names)",
  details: 'UTF-8 CSV: subdistrict_code,province_th,province_en,district_th,district_en,subdistrict_th,subdistrict_en,citizens,as_of. Prints {imported, updated, unchanged, errors: [{line, message}]}.',
  args: [{ name: 'file.csv', description: 'the counts file' }],
  async run([file]) {
    await withDb(async (db) => printJson(await createCoverageRegisters(db).importPopulation(file!, progress)));
  },
};

export const coverageImportPersonnel: Command = {
  name: 'coverage import-personnel',
  summary: 'import the HR register\'s personnel per unit and employment type (the coverage denominator)',
  details: 'UTF-8 CSV: hcode,employment_type,headcount,as_of. Import the units first: a unit\'s district comes from the unit register. Daily and contract hires are kept but not counted. Prints {imported, updated, unchanged, errors}.',
  args: [{ name: 'file.csv', description: 'the counts file' }],
  async run([file]) {
    await withDb(async (db) => printJson(await createCoverageRegisters(db).importPersonnel(file!, progress)));
  },
};

export const populationCountry: Command = {
  name: 'population country',
  summary: 'write the synthetic country (77 provinces, 66 million citizens as counts, Sa Kaeo as the seed gives it) as three CSV files',
  details: 'Writes coverage-population.csv, coverage-units.csv and coverage-personnel.csv into the folder; import them with `units import` and `coverage import-…`.',
  args: [{ name: 'folder', description: 'where to write the files' }],
  options: { seed: { type: 'string', value: 'S', description: 'the random seed (default 2569)' } },
  async run([dir], options) {
    mkdirSync(dir!, { recursive: true });
    const files = { population: path.join(dir!, 'coverage-population.csv'), units: path.join(dir!, 'coverage-units.csv'), personnel: path.join(dir!, 'coverage-personnel.csv') };
    await writeCountryFiles(syntheticCountry(positive('seed', options.seed, 2569)), files);
    printJson(files);
  },
};

const required = (options: Record<string, string | boolean | undefined>, name: string): string => {
  const v = options[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`);
  return v;
};
const clientOptions = {
  'client-id': { type: 'string', value: 'ID', description: 'the registered client (mpid client add)' },
  operator: { type: 'string', value: 'NAME', description: 'who you are (audited as operator:NAME)' },
  reason: { type: 'string', value: 'TEXT', description: 'why (audited)' },
} as const;

export const coverageClientAllow: Command = {
  name: 'coverage client allow',
  summary: 'let a client read the coverage API: every area, or one province with --province',
  details:
    'Only an allowed client gets a token for the resource ${ISSUER}/api/coverage (others: invalid_target); a province\'s client reads /api/coverage/areas/<province> and its parts only (others: 403). ' +
    'Allowing again replaces the province. Audited as coverage.api_client_allowed. Prints {client_id, province}.',
  options: { ...clientOptions, province: { type: 'string', value: 'NN', description: 'the 2-digit province code (27: Sa Kaeo); without it, every area' } },
  async run(_args, options) {
    const province = typeof options.province === 'string' ? options.province : null;
    if (province !== null && !/^\d{2}$/.test(province)) throw new UsageError('--province is a 2-digit province code');
    const clientId = required(options, 'client-id');
    const by = `operator:${required(options, 'operator')}`;
    const reason = required(options, 'reason');
    await withDb(async (db) => {
      const allowed = await createCoverageApiClients(db).allow({ clientId, province, by, reason });
      printJson({ client_id: allowed.clientId, province: allowed.province });
    });
  },
};

export const coverageClientRevoke: Command = {
  name: 'coverage client revoke',
  summary: 'stop a client reading the coverage API (its unexpired tokens are refused too)',
  details: 'Audited as coverage.api_client_revoked. Prints {client_id, revoked}; a client that was not allowed exits 1.',
  options: clientOptions,
  async run(_args, options) {
    const clientId = required(options, 'client-id');
    const by = `operator:${required(options, 'operator')}`;
    const reason = required(options, 'reason');
    await withDb(async (db) => {
      if (!(await createCoverageApiClients(db).revoke({ clientId, by, reason }))) throw new Error(`client ${clientId} was not allowed to read the coverage API`);
      printJson({ client_id: clientId, revoked: true });
    });
  },
};

export const coverageClientList: Command = {
  name: 'coverage client list',
  summary: 'the clients allowed to read the coverage API, with their province (null: every area)',
  async run() {
    await withDb(async (db) => printJson((await createCoverageApiClients(db).list()).map((c) => ({ client_id: c.clientId, province: c.province, reason: c.reason, granted_by: c.grantedBy, granted_at: c.grantedAt.toISOString() }))));
  },
};
