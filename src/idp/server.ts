// Starts one server process: config → database → migrations → keys → HTTP. Used by main.ts and tests.
// PORT=0 binds a port the system picks; without ISSUER the issuer then names that port.
// The signing keys follow keyring.json while the process runs (README: Key rotation).
import { watch } from 'node:fs';
import type { JWK } from 'jose';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from '../kernel/db/index.ts';
import { migrateVia } from '../kernel/db/migrate.ts';
import { createApp, type App } from './app.ts';
import { ADMIN_SCOPE, adminApiAudience } from './admin/api/auth.ts';
import { ensureKeyring, nextKeyChange, readKeyring, signingJwks, type Keyring } from './oidc/keys.ts';
import { sweep } from './sweep.ts';
import { HttpPopulationRegister, SyntheticPopulationRegister, type PopulationRegister } from './proofing/population_register.ts';
import { ensurePopulationFile } from '../kernel/registry/synthetic_population.ts';
import { HttpResidenceRegister, type ResidenceRegister } from './coverage/index.ts';
import { ensureResourceServer } from './oidc/resource_servers.ts';
import { createLogger, type Logger } from '../kernel/http/log.ts';
import { listen } from '../kernel/http/listen.ts';
import type { Clock } from '../kernel/clock.ts';
import { serveMetrics } from '../kernel/metrics/server.ts';
import { metrics } from './metrics.ts';

export interface RunningServer {
  url: string;
  /** the metrics listener's /metrics URL, when METRICS_PORT is set */
  metricsUrl?: string;
  config: Config;
  db: Database;
  app: () => App;
  log: Logger;
  close(): Promise<void>;
}

const SWEEP_EVERY_MS = 60_000;
/** the coverage refresher's round: counts are current within this (docs/coverage.md) */
const COVERAGE_EVERY_MS = 10_000;

/** Production: the configured card-status service. Test zone: the synthetic register (generated once). */
async function populationRegister(config: Config, log: Logger): Promise<PopulationRegister | undefined> {
  if (config.populationRegister) return new HttpPopulationRegister(config.populationRegister);
  if (config.zone !== 'test') return undefined;
  if (await ensurePopulationFile(config.populationFile)) log.info({ file: config.populationFile }, 'synthetic population register generated');
  return SyntheticPopulationRegister.load(config.populationFile);
}

/** Where people live, for the coverage figures: the configured look-up, or the test zone's synthetic register. */
function residenceRegister(config: Config, population: PopulationRegister | undefined): ResidenceRegister | undefined {
  if (config.coverage.residence) return new HttpResidenceRegister(config.coverage.residence);
  return population instanceof SyntheticPopulationRegister ? population : undefined;
}

/** `now`: the clock of the IdP's own time rules (tests); oidc-provider keeps the system's. */
export async function startServer(opts: { env?: NodeJS.ProcessEnv; db?: Database; log?: Logger; now?: Clock } = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  let config = loadConfig(env);
  const log = opts.log ?? createLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase({ ...config, onNamedRefused: (message) => log.warn(message) }));
  const applied = await migrateVia(db, config.migrationDatabaseUrl);
  if (applied.length) log.info({ applied }, 'migrations applied');

  const ring = config.zone === 'test' ? ensureKeyring(config.keysDir).ring : readKeyring(config.keysDir)!;
  const population = await populationRegister(config, log);
  const residence = residenceRegister(config, population);
  let app = createApp({ config, db, log, jwks: signingJwks(ring), population, residence, now: opts.now });

  // Signing keys follow KEYS_DIR/keyring.json while running: a deployed file is read at once (its new
  // generation is published before it signs), and when a published key activates or a retired one
  // expires the provider is rebuilt with the new key order; requests in flight finish on the old one.
  let loaded = JSON.stringify(ring);
  let keyTimer: NodeJS.Timeout | undefined;
  const scheduleKeyChange = (current: Keyring) => {
    clearTimeout(keyTimer);
    const at = nextKeyChange(current);
    if (!at) return;
    keyTimer = setTimeout(() => reloadKeys(true), Math.min(at.getTime() - Date.now(), 2 ** 31 - 1));
    keyTimer.unref();
  };
  const reloadKeys = (due: boolean) => {
    let latest: Keyring | undefined;
    let jwks: JWK[];
    try {
      latest = readKeyring(config.keysDir);
      if (!latest || (!due && JSON.stringify(latest) === loaded)) return;
      jwks = signingJwks(latest);
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, 'keyring.json not usable: keeping the current keys');
      return;
    }
    loaded = JSON.stringify(latest);
    app = createApp({ config, db, log, jwks, population, residence, now: opts.now });
    log.info('signing keys changed: provider reloaded');
    scheduleKeyChange(latest);
  };
  scheduleKeyChange(ring);
  // mpid keys rotate renames the new file into place, a secret manager may swap a symlink: any change in
  // the folder is read (debounced); the minute's poll covers file systems that report no changes
  let settle: NodeJS.Timeout | undefined;
  const keysChanged = () => {
    clearTimeout(settle);
    settle = setTimeout(() => reloadKeys(false), 100);
    settle.unref();
  };
  const keysWatcher = watch(config.keysDir, { persistent: false }, keysChanged);
  keysWatcher.on('error', (err) => log.warn({ err: { message: err.message } }, 'cannot watch KEYS_DIR: keys are read once a minute'));
  const keysPoll = setInterval(keysChanged, 60_000);
  keysPoll.unref();

  const server = await listen((req, res) => app.callback(req, res), config.port);
  if (config.port === 0 && !env.ISSUER) {
    // the issuer names the port just bound: the app is built again for it before any request is read
    config = loadConfig({ ...env, PORT: String(server.port) });
    app = createApp({ config, db, log, jwks: signingJwks(JSON.parse(loaded) as Keyring), population, residence, now: opts.now });
  }
  // the admin API is a resource server of this issuer (built in): its tokens are JWTs with the scope admin, short-lived
  await ensureResourceServer(db, { identifier: adminApiAudience(config.issuer), scope: ADMIN_SCOPE, access_token_ttl: 300 });

  const metricsServer = config.metrics && (await serveMetrics(metrics, config.metrics).catch(async (err: unknown) => {
    await server.close();
    throw err;
  }));
  const unwatchDb = metrics.watchDatabase(db, 'idp');

  await ensureResourceServer(db, { identifier: config.coverage.apiAudience, scope: 'coverage' });

  const sweeper = setInterval(() => {
    sweep(db).catch((err: Error) => log.warn({ err }, 'sweep failed'));
    // the coverage trend's history: the day's figures, written now and then (the last of a day stands)
    app.coverage.snapshotIfDue().catch((err: Error) => log.warn({ err }, 'coverage snapshot failed'));
  }, SWEEP_EVERY_MS);
  sweeper.unref();
  // one round at a time: a round that outlasts the interval is not started twice
  let coverageRound: Promise<unknown> | undefined;
  const coverageTimer = setInterval(() => {
    coverageRound ??= app.coverage.tick().catch((err: Error) => log.warn({ err }, 'coverage refresh failed')).finally(() => (coverageRound = undefined));
  }, COVERAGE_EVERY_MS);
  coverageTimer.unref();

  return {
    url: `http://localhost:${server.port}`,
    metricsUrl: metricsServer ? metricsServer.url : undefined,
    config,
    db,
    app: () => app,
    log,
    async close() {
      clearInterval(sweeper);
      clearInterval(coverageTimer);
      await coverageRound;
      clearTimeout(keyTimer);
      clearTimeout(settle);
      clearInterval(keysPoll);
      keysWatcher.close();
      await server.close();
      await metricsServer?.close();
      unwatchDb();
      await app.faceMatcher?.close?.();
      if (!opts.db) await db.close();
    },
  };
}
