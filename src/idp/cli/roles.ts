// mpid admin, verifier and agent: the appointments and card reader agents an operator makes by hand.
import { z } from 'zod';
import type { Command } from '../../kernel/cli.ts';
import { printJson, readJsonStdin } from '../../kernel/cli.ts';
import { createPii } from '../../kernel/pii/index.ts';
import { createUnits } from '../units/index.ts';
import { appFor, withDb } from './context.ts';

export const adminBootstrap: Command = {
  name: 'admin bootstrap',
  summary: 'appoint an administrator ({pid, operator, reason} on stdin)',
  details: 'The person needs an account. Audited as operator:<operator>.',
  stdin: '{pid, operator, reason}',
  async run() {
    const input = z.object({ pid: z.string(), operator: z.string(), reason: z.string() }).parse(await readJsonStdin());
    await withDb(async (db, config) => printJson(await createUnits(db, createPii(config.piiKey)).bootstrapAdmin(input)));
  },
};

export const verifierBootstrap: Command = {
  name: 'verifier bootstrap',
  summary: 'appoint a unit\'s first verifier after an in-person check ({pid, hcode, operator, reason} on stdin)',
  details: 'The person must be linked health personnel; the check is recorded as evidence and brings them to IAL 2.3.',
  stdin: '{pid, hcode, operator, reason}',
  async run() {
    const input = z.object({ pid: z.string(), hcode: z.string(), operator: z.string(), reason: z.string() }).parse(await readJsonStdin());
    await withDb(async (db, config) => printJson(await createUnits(db, createPii(config.piiKey)).bootstrapVerifier(input)));
  },
};

export const agentPairingCode: Command = {
  name: 'agent pairing-code',
  summary: "a one-time code to pair a unit's card reader agent ({hcode, operator} on stdin)",
  details:
    'As a unit administrator makes on /verifier/unit: 8 characters, valid 10 minutes, one use; the IT officer runs `mpid-card-agent pair CODE` on the counter PC. ' +
    'Prints {code, hcode, expires_at}. Audited as operator:<operator>.',
  stdin: '{hcode, operator}',
  async run() {
    const input = z.object({ hcode: z.string().regex(/^\d{5}$/), operator: z.string().min(1) }).parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const { cardAgents } = await appFor(db, config);
      const { code, expiresAt } = await cardAgents.createPairingCode({ hcode: input.hcode, by: `operator:${input.operator}` });
      printJson({ code, hcode: input.hcode, expires_at: expiresAt.toISOString() });
    });
  },
};

export const agentRegister: Command = {
  name: 'agent register',
  summary: 'register a unit\'s card reader agent ({hcode, jwk (public), operator, name?, version?} on stdin)',
  details:
    'As a pairing at the unit page does: the key for card reads and an OIDC client with the same id (private_key_jwt with that key, client_credentials, the unit\'s hcode). ' +
    'Prints {id, client_id, hcode, issuer, token_endpoint}: the id is the card-read JWS kid and the client_id.',
  stdin: '{hcode, jwk (a public P-256 or Ed25519 key), operator, name?, version?}',
  async run() {
    const input = z
      .object({ hcode: z.string().regex(/^\d{5}$/), jwk: z.record(z.string(), z.unknown()), operator: z.string().min(1), name: z.string().min(1).max(80).optional(), version: z.string().min(1).max(40).optional() })
      .parse(await readJsonStdin());
    await withDb(async (db, config) => {
      const { cardAgents, provider } = await appFor(db, config);
      const { agentId, hcode } = await cardAgents.register({ hcode: input.hcode, jwk: input.jwk, name: input.name, version: input.version, by: `operator:${input.operator}` });
      printJson({ id: agentId, client_id: agentId, hcode, issuer: config.issuer, token_endpoint: provider.urlFor('token') });
    });
  },
};

export const agentList: Command = {
  name: 'agent list',
  summary: 'every unit\'s card reader agents as JSON, active first, newest first',
  details: 'The console\'s list (/admin/card-agents): each with its unit, name, version, enrolment, last sign of life and revocation.',
  options: {
    hcode: { type: 'string', value: 'HCODE', description: 'only this unit\'s agents (5 digits)' },
    state: { type: 'string', value: 'active|revoked', description: 'only the active or only the revoked agents' },
  },
  async run(_args, options) {
    await withDb(async (db, config) => printJson(await (await appFor(db, config)).admin.cardAgents.list({ hcode: options.hcode, state: options.state })));
  },
};

export const agentRevoke: Command = {
  name: 'agent revoke',
  summary: 'revoke a card reader agent of any unit, with a reason: its card reads and its client are refused from now on',
  details: 'The console\'s rules: a reason is required and audited with the revocation, as operator:<operator>.',
  options: {
    id: { type: 'string', value: 'ID', description: 'the agent\'s id (agent-…)' },
    operator: { type: 'string', value: 'NAME', description: 'who revokes, for the audit log' },
    reason: { type: 'string', value: 'TEXT', description: 'why, for the audit log' },
  },
  async run(_args, options) {
    const input = z.object({ id: z.string({ error: '--id is required' }).min(1), operator: z.string({ error: '--operator is required' }).min(1), reason: z.string({ error: '--reason is required' }).min(1, '--reason must not be empty') }).parse(options);
    await withDb(async (db, config) => {
      await (await appFor(db, config)).admin.cardAgents.revoke({ kind: 'operator', name: input.operator }, { id: input.id, reason: input.reason });
      printJson({ id: input.id, revoked: true });
    });
  },
};
