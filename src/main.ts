// Process entry: start the IdP; in the test zone also the Authen Code service (its own port and
// database schema or data directory, registered with the IdP as a client, talking to it over HTTP).
// Stop gracefully on SIGTERM/SIGINT.
import { ConfigError } from './config.ts';
import { MigrationError } from './db/migrate.ts';
import { DatabaseInUseError } from './db/index.ts';
import { startServer } from './server.ts';
import { startAuthencode, type RunningAuthencode } from './authencode/server.ts';
import { loadAuthencodeConfig } from './authencode/config.ts';
import { ensureClientKey, clientMetadata } from './authencode/client_key.ts';
import { registerRelyingService } from './oidc/relying_services.ts';

try {
  const server = await startServer();
  server.log.info({ issuer: server.config.issuer, zone: server.config.zone, database: server.db.kind }, `Mor Prom ID listening on ${server.url}`);
  let authencode: RunningAuthencode | undefined;
  if (server.config.zone === 'test' && process.env.AUTHENCODE !== 'off') {
    const env = { ...process.env, AUTHENCODE_IDP_ISSUER: process.env.AUTHENCODE_IDP_ISSUER ?? server.config.issuer };
    const acConfig = loadAuthencodeConfig(env);
    const jwk = await ensureClientKey(acConfig.clientKeyFile, true);
    await registerRelyingService(server.app().provider, server.db, {
      client: clientMetadata({ clientId: acConfig.clientId, url: acConfig.url, jwk }),
      resource: { identifier: acConfig.apiAudience, scope: 'authencode' },
    });
    authencode = await startAuthencode({ env, log: server.log.child({ service: 'authencode' }) });
    server.log.info({ url: authencode.url, api: acConfig.apiAudience }, `Authen Code service listening on ${authencode.url}`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await authencode?.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof DatabaseInUseError) {
    console.error(`mpid: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
