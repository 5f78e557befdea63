// The IdP's card reader agents: their registered keys, the card reads already used and the challenges
// issued to the verifier console, in the IdP's own tables (migrations/idp/0010_card_agents.sql,
// 0015_card_read_challenges.sql), for in-person proofing at a unit.
import type * as jose from 'jose';
import type { Database } from '../../kernel/db/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { inspectCardRead, issueCardReadChallenge, registerAgent, verifyCardRead, type CardReadResult, type CardReadTables } from '../../kernel/card_read/index.ts';

export const CARD_READ_TABLES: CardReadTables = { agents: 'card_agents', uses: 'card_read_uses', challenges: 'card_read_challenges' };

export const registerCardAgent = (db: Database, a: { hcode: string; jwk: jose.JWK; by: string }) => registerAgent(db, a, { tables: CARD_READ_TABLES, audit });

/** A challenge for a card read at `hcode` by the verifier `actor` (their sub). */
export const cardReadChallengeAt = (db: Database, c: { hcode: string; actor: string }): Promise<string> => issueCardReadChallenge(db, c, CARD_READ_TABLES);

export const verifyCardReadAt = (db: Database, jws: string, opts: { hcode: string; actor: string; now?: number }): Promise<CardReadResult> =>
  verifyCardRead(db, jws, { ...opts, tables: CARD_READ_TABLES });

/** The document checked (signature, agent, freshness, unit) but not used up: the face comparison's look before the decision. */
export const inspectCardReadAt = (db: Database, jws: string, opts: { hcode: string; now?: number }): Promise<CardReadResult> => inspectCardRead(db, jws, { ...opts, tables: CARD_READ_TABLES });
