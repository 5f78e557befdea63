// The service's own migrations (migrations/authencode/), recorded in its own schema's ledger.
import path from 'node:path';
import type { Database } from '../kernel/db/index.ts';
import { migrate, migrationsApplied, readMigrations, type Ledger } from '../kernel/db/migrate.ts';

const DIR = path.resolve(import.meta.dirname, '../../migrations/authencode');
const LEDGER: Ledger = { schema: 'authencode', lockId: 7_312_002 };

export const migrateAuthencode = (db: Database) => migrate(db, readMigrations(DIR), LEDGER);
export const authencodeMigrated = (db: Database) => migrationsApplied(db, readMigrations(DIR), LEDGER);
