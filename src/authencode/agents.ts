// Card reader agents of this service: the same card-read documents (JWS) as the IdP's verifiers use,
// with keys registered here (`mpid authencode agent register`), checked at the agent's own unit.
import type * as jose from 'jose';
import type { Database } from '../kernel/db/index.ts';
import { registerAgent, verifyCardRead, type CardReadResult, type CardReadTables } from '../kernel/card_read/index.ts';
import { recordAudit } from './audit.ts';

const TABLES: CardReadTables = { agents: 'authencode.card_agents', uses: 'authencode.card_read_uses' };

export const registerUnitAgent = (db: Database, a: { hcode: string; jwk: jose.JWK; by: string }) => registerAgent(db, a, { tables: TABLES, audit: recordAudit });

export const verifyAgentCardRead = (db: Database, jws: string, hcode: string): Promise<CardReadResult> => verifyCardRead(db, jws, { hcode, tables: TABLES });
