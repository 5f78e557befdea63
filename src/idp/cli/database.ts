// mpid migrate and audit verify: the database's schema and its audit log's hash chain.
import type { Command } from '../../kernel/cli.ts';
import { printJson } from '../../kernel/cli.ts';
import { migrate } from '../../kernel/db/migrate.ts';
import { verifyAuditChain } from '../../kernel/audit/index.ts';
import { withDb } from './context.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database migrations',
  details: 'The server also migrates at start-up. Prints {applied: [...]}.',
  async run() {
    await withDb(async (db) => printJson({ applied: await migrate(db) }));
  },
};

export const auditVerify: Command = {
  name: 'audit verify',
  summary: 'check the audit log\'s hash chain (exit 1 at the first broken event)',
  details: 'Prints {ok, events} or {ok: false, events, brokenAt, reason} (reason: hash, link or gap).',
  async run() {
    await withDb(async (db) => {
      const verdict = await verifyAuditChain(db);
      printJson(verdict);
      if (!verdict.ok) process.exitCode = 1;
    });
  },
};
