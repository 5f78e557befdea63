// The IdP's card reader agents: their registered keys and the card reads already used, in the IdP's
// own tables (migrations/idp/0010_card_agents.sql), for in-person proofing at a unit.
import type * as jose from 'jose';
import type { Database } from '../../kernel/db/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { registerAgent, verifyCardRead, type CardReadResult, type CardReadTables } from '../../kernel/card_read/index.ts';

export const CARD_READ_TABLES: CardReadTables = { agents: 'card_agents', uses: 'card_read_uses' };

export const registerCardAgent = (db: Database, a: { hcode: string; jwk: jose.JWK; by: string }) => registerAgent(db, a, { tables: CARD_READ_TABLES, audit });

export const verifyCardReadAt = (db: Database, jws: string, opts: { hcode: string; now?: number }): Promise<CardReadResult> =>
  verifyCardRead(db, jws, { ...opts, tables: CARD_READ_TABLES });
