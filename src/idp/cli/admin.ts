// mpid audit export, account unlock and role grant / withdraw / list: what an operator does at the
// shell with the administration console's own rules (src/idp/admin/…), audited as operator:<name>.
import { z } from 'zod';
import type { Command } from '../../kernel/cli.ts';
import { printJson, readJsonStdin } from '../../kernel/cli.ts';
import { auditFilterOf } from '../admin/audit_log/index.ts';
import type { Actor } from '../admin/relying_parties/index.ts';
import { MANAGED_ROLES } from '../admin/roles/index.ts';
import { appFor, withDb } from './context.ts';

const operatorOf = (name: string): Actor => ({ kind: 'operator', name });
const filterOptions = Object.fromEntries(
  (['subject', 'actor', 'action', 'unit', 'from', 'to'] as const).map((k) => [k, { type: 'string' as const, value: k === 'from' || k === 'to' ? 'YYYY-MM-DD' : 'TEXT', description: `only events with this ${k === 'from' ? 'first Bangkok day' : k === 'to' ? 'last Bangkok day' : k === 'action' ? 'action or its beginning' : k}` }]),
);

export const auditExport: Command = {
  name: 'audit export',
  summary: 'the audit log as CSV on standard output (a header row; people by sub, no ID numbers), newest first',
  details: 'The same export as the console\'s. The export itself is an audit event of operator:<operator>.',
  options: { ...filterOptions, operator: { type: 'string', value: 'NAME', description: 'who exports, for the audit log (default mpid)' } },
  async run(_args, options) {
    const filter = auditFilterOf(options as Record<string, unknown>);
    await withDb(async (db, config) => {
      const { admin } = await appFor(db, config);
      for await (const chunk of admin.auditLog.csv(operatorOf(typeof options.operator === 'string' ? options.operator : 'mpid'), filter)) process.stdout.write(chunk);
    });
  },
};

export const accountUnlock: Command = {
  name: 'account unlock',
  summary: 'clear an account\'s login back-off and lock ({pid, operator, reason} on stdin); the person is told by SMS',
  stdin: '{pid, operator, reason}',
  async run() {
    const input = z.object({ pid: z.string(), operator: z.string().min(1), reason: z.string().min(1) }).parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const { admin } = await appFor(db, config);
      const actor = operatorOf(input.operator);
      const sub = await admin.accountAdmin.find(actor, input.pid, input.reason);
      printJson({ sub, ...(await admin.accountAdmin.unlock(actor, sub, input.reason)) });
    });
  },
};

const roleInput = z.object({ pid: z.string(), role: z.string(), hcode: z.string().optional(), province: z.string().optional(), operator: z.string().min(1), reason: z.string().min(1) });
const roleCommand = (verb: 'grant' | 'withdraw'): Command => ({
  name: `role ${verb}`,
  summary: `${verb} a role (${MANAGED_ROLES.map((r) => r.role).join(', ')}) ({pid, role, hcode?, province?, operator, reason} on stdin)`,
  details: 'The console\'s rules: hcode for unit_admin and verifier, province (2-digit code) for province_officer, a verifier must be linked personnel at IAL 2.3. Audited as operator:<operator>.',
  stdin: '{pid, role, hcode?, province?, operator, reason}',
  async run() {
    const input = roleInput.parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const { admin, accounts } = await appFor(db, config);
      const sub = await accounts.subByPid(input.pid);
      if (!sub) throw new Error('no account with this ID number');
      await admin.roles[verb](operatorOf(input.operator), { sub, role: input.role, hcode: input.hcode, province: input.province, reason: input.reason });
      printJson({ sub, role: input.role, ...(input.hcode ? { hcode: input.hcode } : {}), ...(input.province ? { province: input.province } : {}), [verb === 'grant' ? 'granted' : 'withdrawn']: true });
    });
  },
});
export const roleGrant = roleCommand('grant');
export const roleWithdraw = roleCommand('withdraw');

export const roleList: Command = {
  name: 'role list',
  summary: 'role grants, newest first (current ones only with --current)',
  options: { current: { type: 'boolean', description: 'only roles held now' } },
  async run(_args, options) {
    await withDb(async (db, config) => printJson(await (await appFor(db, config)).admin.roles.list({ current: options.current === true })));
  },
};
