// Process entry: start the server, stop gracefully on SIGTERM/SIGINT.
import { ConfigError } from './config.ts';
import { MigrationError } from './db/migrate.ts';
import { startServer } from './server.ts';

try {
  const server = await startServer();
  server.log.info({ issuer: server.config.issuer, zone: server.config.zone, database: server.db.kind }, `Mor Prom ID listening on ${server.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof MigrationError) {
    console.error(`mpid: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
