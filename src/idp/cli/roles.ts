// mpid admin, verifier and agent: the appointments and card reader agents an operator makes by hand.
import { z } from 'zod';
import type { JWK } from 'jose';
import type { Command } from '../../kernel/cli.ts';
import { printJson, readJsonStdin } from '../../kernel/cli.ts';
import { createPii } from '../../kernel/pii/index.ts';
import { registerCardAgent } from '../proofing/card_agents.ts';
import { createUnits } from '../units/index.ts';
import { withDb } from './context.ts';

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

export const agentRegister: Command = {
  name: 'agent register',
  summary: 'register a unit\'s card reader agent ({hcode, jwk (public), operator} on stdin)',
  details: 'Prints {id}: the agent id, which the agent uses as its card-read JWS kid.',
  stdin: '{hcode, jwk (a public key), operator}',
  async run() {
    const input = z.object({ hcode: z.string().regex(/^\d{5}$/), jwk: z.record(z.string(), z.unknown()), operator: z.string().min(1) }).parse(await readJsonStdin());
    await withDb(async (db) => printJson({ id: await registerCardAgent(db, { hcode: input.hcode, jwk: input.jwk as JWK, by: `operator:${input.operator}` }) }));
  },
};
