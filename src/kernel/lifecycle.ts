// How a service process ends: on SIGTERM/SIGINT it closes (finishing requests in flight, at most 10 s);
// a start-up error the operator can fix (configuration, migrations, a database or a port in use) is
// one line and exit code 2, anything else is thrown.
import { ConfigError } from './config.ts';
import { MigrationError } from './db/migrate.ts';
import { DatabaseInUseError } from './db/index.ts';
import type { Logger } from './http/log.ts';
import { PortUnavailable } from './http/listen.ts';

export function closeOnSignals(log: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), 10_000).unref();
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

export function exitOnStartupError(name: string, err: unknown): never {
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof DatabaseInUseError || err instanceof PortUnavailable) {
    console.error(`${name}: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
