// mpid: the operator's command line. JSON in on standard input, JSON out on standard output.
import { text } from 'node:stream/consumers';
import { z, ZodError } from 'zod';
import { loadConfig, ConfigError } from '../config.ts';
import { openDatabase, type Database } from '../../kernel/db/index.ts';
import { migrate, MigrationError } from '../../kernel/db/migrate.ts';
import { createApp } from '../app.ts';
import { createLogger } from '../../kernel/http/log.ts';
import { ensureKeyring, keyStates, readKeyring, rotateKeys, signingJwks } from '../oidc/keys.ts';
import { registerClient, ClientMetadataError } from '../oidc/clients.ts';
import { addResourceServer } from '../oidc/resource_servers.ts';
import { DuplicateAccountError } from '../account/index.ts';
import { createPersonnel, PersonnelFileError } from '../personnel/index.ts';
import { createPii } from '../../kernel/pii/index.ts';
import { writePopulationCsv } from '../../kernel/registry/synthetic_population.ts';
import { verifyAuditChain } from '../../kernel/audit/index.ts';
import { createUnits, RoleError } from '../units/index.ts';
import { accountIal } from '../proofing/ial.ts';
import { approvedEvidence } from '../proofing/evidence.ts';
import { revokeEvidenceAndLogOut } from '../proofing/revocation.ts';
import { registerCardAgent } from '../proofing/card_agents.ts';
import type { JWK } from 'jose';
import path from 'node:path';
import { openPglite, openPostgres } from '../../kernel/db/index.ts';
import { loadAuthencodeConfig } from '../../authencode/config.ts';
import { migrateAuthencode } from '../../authencode/db.ts';
import { importUnits } from '../../authencode/units.ts';
import { registerUnitAgent } from '../../authencode/agents.ts';
import { clientMetadata, ensureClientKey } from '../../authencode/client_key.ts';

const USAGE = `usage: mpid <command>
  migrate                       apply pending database migrations
  client add                    register a relying party (RFC 7591 metadata as JSON on stdin)
  resource-server add           register a resource server ({identifier, scope, access_token_ttl, signing_alg} on stdin)
  account add                   create an account ({pid, given_name, family_name, birthdate, phone_number, password} on stdin)
  personnel import <file.csv>   import the health personnel register (bad rows are reported by line; the rest is imported)
  population generate [--count N] [--seed S]
                                the test zone's synthetic population register as CSV on stdout
  units import <file.csv>       import the service-unit register (hcode,name_th,name_en,unit_type,province,district,subdistrict)
  units service-point <hcode> on|off   make a unit a Digital ID service point, or stop ({"operator": …} on stdin)
  admin bootstrap               appoint an administrator ({pid, operator, reason} on stdin)
  verifier bootstrap            appoint a unit's first verifier after an in-person check ({pid, hcode, operator, reason} on stdin)
  agent register                register a unit's card reader agent ({hcode, jwk (public), operator} on stdin)
  evidence list                 a person's proofing evidence ({pid} on stdin)
  evidence revoke               revoke evidence: the IAL drops, sessions end, relying parties are told ({id, operator, reason} on stdin)
  audit verify                  check the audit log's hash chain (exit 1 at the first broken event)
  keys init                     create the signing keyring if there is none
  keys rotate [--now]           add a signing key, published now and signing after KEY_PUBLISH_SECONDS (or at once with --now)
  keys list                     show the signing keys and their states

The Authen Code service (its own database: AUTHENCODE_DATABASE_URL, or DATABASE_URL, or DATA_DIR/authencode/pg):
  authencode migrate            apply its pending migrations
  authencode units import <file.csv>   import service units (the unit register's CSV format)
  authencode agent register     register a unit's card reader agent ({hcode, jwk (public), operator} on stdin)
  authencode client             its client metadata for the IdP (pipe into "mpid client add"), and its API
                                as a resource server (for "mpid resource-server add")`;

class UsageError extends Error {}

async function readJsonStdin(): Promise<unknown> {
  if (process.stdin.isTTY) throw new UsageError('expected JSON on standard input');
  const raw = await text(process.stdin);
  try {
    return JSON.parse(raw);
  } catch {
    throw new UsageError('standard input is not valid JSON');
  }
}

async function withDb<T>(fn: (db: Database, config: ReturnType<typeof loadConfig>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

function appFor(db: Database, config: ReturnType<typeof loadConfig>) {
  const ring = config.zone === 'test' ? ensureKeyring(config.keysDir).ring : readKeyring(config.keysDir)!;
  return createApp({ config, db, log: createLogger('silent'), jwks: signingJwks(ring) });
}

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

const out = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

export async function run(argv: string[]): Promise<void> {
  const [cmd, sub, ...rest] = argv;
  const key = [cmd, sub].filter(Boolean).join(' ');
  switch (key) {
    case 'migrate':
      return withDb(async (db) => out({ applied: await migrate(db) }));
    case 'client add': {
      const input = await readJsonStdin();
      return withDb(async (db, config) => out(await registerClient(appFor(db, config).provider, db, input)));
    }
    case 'resource-server add': {
      const input = await readJsonStdin();
      return withDb(async (db) => out(await addResourceServer(db, input)));
    }
    case 'account add': {
      const input = await readJsonStdin();
      return withDb(async (db, config) => out(await appFor(db, config).accounts.create(input, 'cli')));
    }
    case 'personnel import': {
      const file = rest[0];
      if (!file) throw new UsageError('usage: mpid personnel import <file.csv>');
      return withDb(async (db, config) => {
        const personnel = createPersonnel(db, createPii(config.piiKey));
        const result = await personnel.importFile(file, (rows) => {
          if (rows % 5000 === 0) process.stderr.write(`mpid: ${rows} rows read…\n`);
        });
        out(result);
      });
    }
    case 'population generate': {
      const option = (name: string, fallback: number) => {
        const i = rest.indexOf(name);
        const v = i >= 0 ? Number(rest[i + 1]) : fallback;
        if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} needs a positive whole number`);
        return v;
      };
      return writePopulationCsv(process.stdout, option('--count', 2000), option('--seed', 2569));
    }
    case 'units import': {
      const file = rest[0];
      if (!file) throw new UsageError('usage: mpid units import <file.csv>');
      return withDb(async (db, config) => out(await createUnits(db, createPii(config.piiKey)).importFile(file)));
    }
    case 'units service-point': {
      const [hcode, state] = rest;
      if (!hcode || (state !== 'on' && state !== 'off')) throw new UsageError('usage: mpid units service-point <hcode> on|off');
      const input = z.object({ operator: z.string().min(1) }).parse(await readJsonStdin());
      return withDb(async (db, config) => {
        if (!(await createUnits(db, createPii(config.piiKey)).setServicePoint(hcode, state === 'on', `operator:${input.operator}`))) throw new UsageError(`unknown unit ${hcode}`);
        out({ hcode, service_point: state === 'on' });
      });
    }
    case 'admin bootstrap': {
      const input = z.object({ pid: z.string(), operator: z.string(), reason: z.string() }).parse(await readJsonStdin());
      return withDb(async (db, config) => out(await createUnits(db, createPii(config.piiKey)).bootstrapAdmin(input)));
    }
    case 'verifier bootstrap': {
      const input = z.object({ pid: z.string(), hcode: z.string(), operator: z.string(), reason: z.string() }).parse(await readJsonStdin());
      return withDb(async (db, config) => out(await createUnits(db, createPii(config.piiKey)).bootstrapVerifier(input)));
    }
    case 'agent register': {
      const input = z.object({ hcode: z.string().regex(/^\d{5}$/), jwk: z.record(z.string(), z.unknown()), operator: z.string().min(1) }).parse(await readJsonStdin());
      return withDb(async (db) => out({ id: await registerCardAgent(db, { hcode: input.hcode, jwk: input.jwk as JWK, by: `operator:${input.operator}` }) }));
    }
    case 'evidence list': {
      const input = z.object({ pid: z.string() }).parse(await readJsonStdin());
      return withDb(async (db, config) => {
        const { rows } = await db.query<{ sub: string }>('SELECT sub FROM accounts WHERE pid_index = $1', [createPii(config.piiKey).index(input.pid, 'pid')]);
        if (!rows[0]) throw new UsageError('no account with this ID number');
        out({ ial: (await accountIal(db, rows[0].sub)) ?? null, evidence: await approvedEvidence(db, rows[0].sub) });
      });
    }
    case 'evidence revoke': {
      const input = z.object({ id: z.number().int(), operator: z.string().min(1), reason: z.string().min(1) }).parse(await readJsonStdin());
      return withDb(async (db, config) => {
        const result = await revokeEvidenceAndLogOut({ db, provider: appFor(db, config).provider }, input.id, `operator:${input.operator}`, input.reason);
        if (!result) throw new UsageError(`no unrevoked evidence ${input.id}`);
        out(result);
      });
    }
    case 'audit verify':
      return withDb(async (db) => {
        const verdict = await verifyAuditChain(db);
        out(verdict);
        if (!verdict.ok) process.exitCode = 1;
      });
    case 'keys init': {
      const { keysDir } = loadConfig();
      const { created, ring } = ensureKeyring(keysDir);
      return out({ created, generations: ring.generations.map((g) => g.id) });
    }
    case 'keys rotate': {
      const { keysDir, keyPublishSeconds } = loadConfig();
      const { added, dropped } = rotateKeys(keysDir, rest.includes('--now') ? 0 : keyPublishSeconds);
      return out({ added: added.id, activatesAt: added.activatesAt, dropped });
    }
    case 'keys list': {
      const { keysDir } = loadConfig();
      const ring = readKeyring(keysDir);
      if (!ring) throw new UsageError(`no keyring in ${keysDir}`);
      return out(keyStates(ring).map(({ generation: g, state }) => ({ id: g.id, state, activatesAt: g.activatesAt, kids: g.keys.map((k) => k.kid) })));
    }
    case 'authencode migrate':
      return withAuthencodeDb(async (db) => out({ applied: await migrateAuthencode(db) }));
    case 'authencode units': {
      const [action, file] = rest;
      if (action !== 'import' || !file) throw new UsageError('usage: mpid authencode units import <file.csv>');
      return withAuthencodeDb(async (db) => out(await importUnits(db, file)));
    }
    case 'authencode agent': {
      if (rest[0] !== 'register') throw new UsageError('usage: mpid authencode agent register');
      const input = z.object({ hcode: z.string().regex(/^\d{5}$/), jwk: z.record(z.string(), z.unknown()), operator: z.string().min(1) }).parse(await readJsonStdin());
      return withAuthencodeDb(async (db) => out({ id: await registerUnitAgent(db, { hcode: input.hcode, jwk: input.jwk as JWK, by: `operator:${input.operator}` }) }));
    }
    case 'authencode client': {
      const config = loadAuthencodeConfig();
      const jwk = await ensureClientKey(config.clientKeyFile, config.zone === 'test');
      return out({ client: clientMetadata({ clientId: config.clientId, url: config.url, jwk }), resource_server: { identifier: config.apiAudience, scope: 'authencode' } });
    }
    default:
      throw new UsageError(USAGE);
  }
}

try {
  await run(process.argv.slice(2));
} catch (err) {
  if (err instanceof ZodError) {
    console.error(`mpid: ${err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
  } else if (err instanceof UsageError || err instanceof ConfigError || err instanceof MigrationError || err instanceof ClientMetadataError || err instanceof DuplicateAccountError || err instanceof PersonnelFileError || err instanceof RoleError) {
    console.error(`mpid: ${err.message}`);
  } else {
    console.error(`mpid: ${(err as Error).message}`);
  }
  process.exitCode = 2;
}
