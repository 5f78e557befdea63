// The Authen Code service on its own (production: its own process, next to the IdP's).
import { ConfigError } from '../config.ts';
import { MigrationError } from '../db/migrate.ts';
import { DatabaseInUseError } from '../db/index.ts';
import { startAuthencode } from './server.ts';

try {
  const service = await startAuthencode();
  service.log.info({ url: service.config.url, idp: service.config.idpIssuer, zone: service.config.zone }, `Authen Code service listening on ${service.url}`);
  const stop = async () => {
    setTimeout(() => process.exit(1), 10_000).unref();
    await service.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
} catch (err) {
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof DatabaseInUseError) {
    console.error(`authencode: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
