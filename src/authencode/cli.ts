// mpid authencode …: the Authen Code service's operator commands, on its own database. Imports only
// src/kernel and the service itself; src/cli.ts puts this section beside the IdP's commands.
import path from 'node:path';
import { z } from 'zod';
import type { JWK } from 'jose';
import type { Command, Section } from '../kernel/cli.ts';
import { printJson, readJsonStdin } from '../kernel/cli.ts';
import { openPglite, openPostgres, type Database } from '../kernel/db/index.ts';
import { loadAuthencodeConfig } from './config.ts';
import { migrateAuthencode } from './db.ts';
import { importUnits } from './units.ts';
import { registerUnitAgent } from './agents.ts';
import { clientMetadata, ensureClientKey } from './client_key.ts';

async function withAuthencodeDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadAuthencodeConfig();
  const db = config.databaseUrl ? openPostgres(config.databaseUrl, 2) : await openPglite(path.join(config.dataDir, 'pg'));
  try {
    await migrateAuthencode(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

const migrateCommand: Command = {
  name: 'authencode migrate',
  summary: 'apply its pending migrations',
  details: 'The service also migrates at start-up. Prints {applied: [...]}.',
  async run() {
    await withAuthencodeDb(async (db) => printJson({ applied: await migrateAuthencode(db) }));
  },
};

const unitsImport: Command = {
  name: 'authencode units import',
  summary: 'import service units (the unit register\'s CSV format)',
  details: 'Columns hcode,name_th,name_en,unit_type,province,district,subdistrict. Prints {imported, updated, unchanged, errors}.',
  args: [{ name: 'file.csv', description: 'the unit register file' }],
  async run([file]) {
    await withAuthencodeDb(async (db) => printJson(await importUnits(db, file!)));
  },
};

const agentRegister: Command = {
  name: 'authencode agent register',
  summary: 'register a unit\'s card reader agent ({hcode, jwk (public), operator} on stdin)',
  details: 'Prints {id}: the agent id, which the agent uses as its card-read JWS kid.',
  stdin: '{hcode, jwk (a public key), operator}',
  async run() {
    const input = z.object({ hcode: z.string().regex(/^\d{5}$/), jwk: z.record(z.string(), z.unknown()), operator: z.string().min(1) }).parse(await readJsonStdin());
    await withAuthencodeDb(async (db) => printJson({ id: await registerUnitAgent(db, { hcode: input.hcode, jwk: input.jwk as JWK, by: `operator:${input.operator}` }) }));
  },
};

const client: Command = {
  name: 'authencode client',
  summary: 'its client metadata for the IdP (pipe into "mpid client add"), and its API as a resource server (for "mpid resource-server add")',
  details: 'Prints {client, resource_server}. In the test zone it creates the client key file if there is none.',
  async run() {
    const config = loadAuthencodeConfig();
    const jwk = await ensureClientKey(config.clientKeyFile, config.zone === 'test');
    printJson({ client: clientMetadata({ clientId: config.clientId, url: config.url, jwk }), resource_server: { identifier: config.apiAudience, scope: 'authencode' } });
  },
};

export const authencodeSection: Section = {
  title: 'The Authen Code service (its own database: AUTHENCODE_DATABASE_URL, or DATABASE_URL, or DATA_DIR/authencode/pg):',
  group: 'authencode',
  commands: [migrateCommand, unitsImport, agentRegister, client],
};
