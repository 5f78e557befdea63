// What the IdP's commands share: the configuration, the migrated database, and the app (for the
// commands that need oidc-provider or the accounts service). Each command opens and closes its own;
// the app is imported only when a command needs it, so help and usage errors answer quickly.
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../../kernel/db/index.ts';
import { migrateVia } from '../../kernel/db/migrate.ts';
import { createLogger } from '../../kernel/http/log.ts';
import { ensureKeyring, readKeyring, signingJwks } from '../oidc/keys.ts';

export async function withDb<T>(fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    await migrateVia(db, config.migrationDatabaseUrl);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

export async function appFor(db: Database, config: Config) {
  const { createApp } = await import('../app.ts');
  const ring = config.zone === 'test' ? ensureKeyring(config.keysDir).ring : readKeyring(config.keysDir)!;
  return createApp({ config, db, log: createLogger('silent'), jwks: signingJwks(ring) });
}
