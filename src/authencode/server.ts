// Starts the Authen Code service: config → its own database → migrations → reference data → HTTP.
// It talks to the IdP only over HTTP (discovery, keys, tokens), never through the IdP's database.
// AUTHENCODE_PORT=0 binds a port the system picks; without AUTHENCODE_URL the URL then names that port.
import type http from 'node:http';
import path from 'node:path';
import * as jose from 'jose';
import { openPglite, openPostgres, type Database } from '../kernel/db/index.ts';
import { createLogger, type Logger } from '../kernel/http/log.ts';
import { createPii } from '../kernel/pii/index.ts';
import { ensurePopulationFile } from '../kernel/registry/synthetic_population.ts';
import { listen } from '../kernel/http/listen.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { loadAuthencodeConfig, type AuthencodeConfig } from './config.ts';
import { migrateAuthencode } from './db.ts';
import { loadClaimTypes } from './claim_types.ts';
import { importUnits, listUnits, type Unit } from './units.ts';
import { createVisits } from './visits/index.ts';
import { HttpEntitlementRegister, SyntheticEntitlementRegister, type EntitlementRegister } from './entitlement/index.ts';
import { loadQrSigner, qrSignerFromJwk } from './qr/index.ts';
import { ensureClientKey } from './client_key.ts';
import { createRelyingParty } from './relying_party.ts';
import { callerVerifier } from './api/caller.ts';
import { createAuthencodeApp } from './app.ts';
import type { RouteInfo } from '../kernel/http/routes.ts';
import { sweepAuthencode } from './sweep.ts';
import { createFaceMatcher } from '../kernel/face_match/config.ts';
import type { FaceMatcher } from '../kernel/face_match/index.ts';
import { serveMetrics } from '../kernel/metrics/server.ts';
import { metrics } from './metrics.ts';

export interface RunningAuthencode {
  url: string;
  /** the metrics listener's /metrics URL, when AUTHENCODE_METRICS_PORT is set */
  metricsUrl?: string;
  config: AuthencodeConfig;
  db: Database;
  log: Logger;
  clientJwk: jose.JWK;
  /** the routes of its routers (for the fuzz test) */
  routes: RouteInfo[];
  close(): Promise<void>;
}

async function entitlementRegister(config: AuthencodeConfig, units: Unit[], log: Logger): Promise<EntitlementRegister> {
  if (config.entitlementRegister) return new HttpEntitlementRegister(config.entitlementRegister);
  // the same synthetic population the IdP's test zone uses
  if (await ensurePopulationFile(config.populationFile)) log.info({ file: config.populationFile }, 'synthetic population register generated');
  return SyntheticEntitlementRegister.load(config.populationFile, units.map((u) => ({ hcode: u.hcode, name_th: u.nameTh, province: u.province })));
}

/** `config` when the caller has loaded it already (its URL is then the caller's), else from `env`.
 *  `now`: the clock of the service's rules (the Thai day of service, the API's limits); tests pass their own. */
export async function startAuthencode(opts: { env?: NodeJS.ProcessEnv; config?: AuthencodeConfig; db?: Database; log?: Logger; now?: Clock; faceMatcher?: FaceMatcher } = {}): Promise<RunningAuthencode> {
  const env = opts.env ?? process.env;
  let config = opts.config ?? loadAuthencodeConfig(env);
  const now = opts.now ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel).child({ service: 'authencode' });
  const db = opts.db ?? (config.databaseUrl ? openPostgres(config.databaseUrl, undefined, { namedStatements: config.namedStatements, onNamedRefused: (message) => log.warn(message) }) : await openPglite(path.join(config.dataDir, 'pg')));
  const applied = await migrateAuthencode(db);
  if (applied.length) log.info({ applied }, 'authencode migrations applied');
  let units = await listUnits(db);
  if (config.unitsFile && !units.length) {
    const result = await importUnits(db, config.unitsFile);
    log.info({ file: config.unitsFile, imported: result.imported }, 'service units imported');
    units = await listUnits(db);
  }
  const claimTypes = await loadClaimTypes(db);
  const pii = createPii(config.piiKey);
  const visits = createVisits(db, pii, claimTypes, now);
  const entitlements = await entitlementRegister(config, units, log);
  const qr = config.qrKey ? await qrSignerFromJwk(JSON.parse(config.qrKey)) : await loadQrSigner(config.qrKeyFile);
  const clientJwk = await ensureClientKey(config.clientKeyFile, config.zone === 'test');

  // the app is built once the port is bound (its URL may name that port), before any request is read
  let handle: http.RequestListener | undefined;
  const server = await listen((req, res) => handle!(req, res), config.port, 'AUTHENCODE_PORT');
  if (!opts.config && config.port === 0 && !env.AUTHENCODE_URL) config = loadAuthencodeConfig({ ...env, AUTHENCODE_PORT: String(server.port) });
  const rp = createRelyingParty({ issuer: config.idpIssuer, clientId: config.clientId, privateJwk: clientJwk, redirectUri: `${config.url}/auth/callback`, insecure: config.zone === 'test' });
  const verifyCaller = callerVerifier({ issuer: config.idpIssuer, audience: config.apiAudience, jwksUri: () => rp.jwksUri() });
  // a matcher passed in (the IdP's, when both run in one process) is its owner's to close
  const faceMatcher = opts.faceMatcher ?? createFaceMatcher(config.faceMatch);
  const app = createAuthencodeApp({ config, db, log, pii, visits, claimTypes, entitlements, qr, rp, verifyCaller, now, faceMatcher });
  handle = app.callback();
  const metricsServer = config.metrics && (await serveMetrics(metrics, config.metrics).catch(async (err: unknown) => {
    await server.close();
    throw err;
  }));
  const unwatchDb = metrics.watchDatabase(db, 'authencode');
  const sweeper = setInterval(() => {
    sweepAuthencode(db).catch((err: Error) => log.warn({ err }, 'authencode sweep failed'));
  }, 60_000);
  sweeper.unref();
  return {
    url: `http://localhost:${server.port}`,
    metricsUrl: metricsServer ? metricsServer.url : undefined,
    config,
    db,
    log,
    clientJwk,
    routes: app.routes,
    async close() {
      clearInterval(sweeper);
      await server.close();
      if (!opts.faceMatcher) await faceMatcher?.close?.();
      await metricsServer?.close();
      unwatchDb();
      if (!opts.db) await db.close();
    },
  };
}
