// Starts one server process: config → database → migrations → keys → HTTP. Used by main.ts and tests.
// PORT=0 binds a port the system picks; without ISSUER the issuer then names that port.
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from '../kernel/db/index.ts';
import { migrate } from '../kernel/db/migrate.ts';
import { createApp, type App } from './app.ts';
import { ensureKeyring, nextKeyChange, readKeyring, signingJwks } from './oidc/keys.ts';
import { sweep } from './sweep.ts';
import { HttpPopulationRegister, SyntheticPopulationRegister, type PopulationRegister } from './proofing/population_register.ts';
import { ensurePopulationFile } from '../kernel/registry/synthetic_population.ts';
import { createLogger, type Logger } from '../kernel/http/log.ts';
import { listen } from '../kernel/http/listen.ts';
import type { Clock } from '../kernel/clock.ts';

export interface RunningServer {
  url: string;
  config: Config;
  db: Database;
  app: () => App;
  log: Logger;
  close(): Promise<void>;
}

const SWEEP_EVERY_MS = 60_000;

/** Production: the configured card-status service. Test zone: the synthetic register (generated once). */
async function populationRegister(config: Config, log: Logger): Promise<PopulationRegister | undefined> {
  if (config.populationRegister) return new HttpPopulationRegister(config.populationRegister);
  if (config.zone !== 'test') return undefined;
  if (await ensurePopulationFile(config.populationFile)) log.info({ file: config.populationFile }, 'synthetic population register generated');
  return SyntheticPopulationRegister.load(config.populationFile);
}

/** `now`: the clock of the IdP's own time rules (tests); oidc-provider keeps the system's. */
export async function startServer(opts: { env?: NodeJS.ProcessEnv; db?: Database; log?: Logger; now?: Clock } = {}): Promise<RunningServer> {
  const env = opts.env ?? process.env;
  let config = loadConfig(env);
  const log = opts.log ?? createLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase(config));
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'migrations applied');

  const ring = config.zone === 'test' ? ensureKeyring(config.keysDir).ring : readKeyring(config.keysDir)!;
  const population = await populationRegister(config, log);
  let app = createApp({ config, db, log, jwks: signingJwks(ring), population, now: opts.now });

  // When a published key activates or a retired one expires, rebuild the provider with the new
  // key order; requests already in flight finish on the old one. No restart needed.
  let keyTimer: NodeJS.Timeout | undefined;
  const scheduleKeyChange = () => {
    const current = readKeyring(config.keysDir);
    const at = current && nextKeyChange(current);
    if (!at) return;
    keyTimer = setTimeout(() => {
      const latest = readKeyring(config.keysDir)!;
      app = createApp({ config, db, log, jwks: signingJwks(latest), population, now: opts.now });
      log.info('signing keys changed: provider reloaded');
      scheduleKeyChange();
    }, Math.min(at.getTime() - Date.now(), 2 ** 31 - 1));
    keyTimer.unref();
  };
  scheduleKeyChange();

  const server = await listen((req, res) => app.callback(req, res), config.port);
  if (config.port === 0 && !env.ISSUER) {
    // the issuer names the port just bound: the app is built again for it before any request is read
    config = loadConfig({ ...env, PORT: String(server.port) });
    app = createApp({ config, db, log, jwks: signingJwks(ring), population, now: opts.now });
  }

  const sweeper = setInterval(() => {
    sweep(db).catch((err: Error) => log.warn({ err: { message: err.message } }, 'sweep failed'));
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  return {
    url: `http://localhost:${server.port}`,
    config,
    db,
    app: () => app,
    log,
    async close() {
      clearInterval(sweeper);
      clearTimeout(keyTimer);
      await server.close();
      if (!opts.db) await db.close();
    },
  };
}
