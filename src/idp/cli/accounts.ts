// mpid account and evidence: test accounts, and a person's proofing evidence (listed, revoked).
import { z } from 'zod';
import type { Command } from '../../kernel/cli.ts';
import { printJson, readJsonStdin } from '../../kernel/cli.ts';
import { createPii } from '../../kernel/pii/index.ts';
import { accountIal } from '../proofing/ial.ts';
import { approvedEvidence } from '../proofing/evidence.ts';
import { revokeEvidenceAndLogOut } from '../proofing/revocation.ts';
import { appFor, withDb } from './context.ts';

export const accountAdd: Command = {
  name: 'account add',
  summary: 'create an account ({pid, given_name, family_name, birthdate, phone_number, phone_verified?, password} on stdin)',
  details: 'The ID number must have a valid check digit; prints the new account (its sub).',
  stdin: '{pid, given_name, family_name, birthdate, phone_number, phone_verified? (the operator checked the phone: SMS codes may be sent), password}',
  async run() {
    const input = await readJsonStdin();
    await withDb(async (db, config) => printJson(await (await appFor(db, config)).accounts.create(input, 'cli')));
  },
};

export const evidenceList: Command = {
  name: 'evidence list',
  summary: 'a person\'s proofing evidence ({pid} on stdin)',
  details: 'Prints {ial, evidence: [...]}: the account\'s current IAL and its approved, unrevoked evidence.',
  stdin: '{pid}',
  async run() {
    const input = z.object({ pid: z.string() }).parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const { rows } = await db.query<{ sub: string }>('SELECT sub FROM accounts WHERE pid_index = $1', [createPii(config.piiKey).index(input.pid, 'pid')]);
      if (!rows[0]) throw new Error('no account with this ID number');
      printJson({ ial: (await accountIal(db, rows[0].sub)) ?? null, evidence: await approvedEvidence(db, rows[0].sub) });
    });
  },
};

export const evidenceRevoke: Command = {
  name: 'evidence revoke',
  summary: 'revoke evidence: the IAL drops, sessions end, relying parties are told ({id, operator, reason} on stdin)',
  details: 'The id comes from "mpid evidence list". Every session of the person ends and back-channel logout is sent.',
  stdin: '{id, operator, reason}',
  async run() {
    const input = z.object({ id: z.number().int(), operator: z.string().min(1), reason: z.string().min(1) }).parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const result = await revokeEvidenceAndLogOut({ db, provider: (await appFor(db, config)).provider }, input.id, `operator:${input.operator}`, input.reason);
      if (!result) throw new Error(`no unrevoked evidence ${input.id}`);
      printJson(result);
    });
  },
};
