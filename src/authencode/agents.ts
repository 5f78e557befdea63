// Card reader agents of this service: the same card-read documents (JWS) as the IdP's verifiers use,
// checked at the agent's own unit. An agent paired at the IdP registers itself here with its
// client-credentials token (POST /api/card-agents/register) and holds a lease of an hour, renewed while
// the IdP keeps giving it tokens: revoked at the IdP, it stops here when the lease runs out. Agents an
// operator registers (`mpid authencode agent register`) have no lease. Its card reads count only from
// an unrevoked agent whose lease, if it has one, has not run out, and only
// against a challenge the staff page issued to the same member of staff.
import type { Caller } from './api/caller.ts';
import type * as jose from 'jose';
import type { Database } from '../kernel/db/index.ts';
import { inspectCardRead, issueCardReadChallenge, registerAgent, verifyCardRead, type CardReadResult, type CardReadTables } from '../kernel/card_read/index.ts';
import { recordAudit } from './audit.ts';

export const AGENT_LEASE_SECONDS = 3600;

const TABLES: CardReadTables = { agents: 'authencode.card_agents', uses: 'authencode.card_read_uses', challenges: 'authencode.card_read_challenges', activeAgent: 'lease_until IS NULL OR lease_until > now()' };

export const registerUnitAgent = (db: Database, a: { hcode: string; jwk: jose.JWK; by: string }) => registerAgent(db, a, { tables: TABLES, audit: recordAudit });

/** A challenge for a card read at `hcode` by the member of staff `actor` (their sub). */
export const unitCardReadChallenge = (db: Database, c: { hcode: string; actor: string }): Promise<string> => issueCardReadChallenge(db, c, TABLES);

/** A card read checked as verifyAgentCardRead does, not used up: a look before the decision (the face check). */
export const inspectAgentCardRead = (db: Database, jws: string, o: { hcode: string }): Promise<CardReadResult> => inspectCardRead(db, jws, { ...o, tables: TABLES });

export const verifyAgentCardRead = (db: Database, jws: string, o: { hcode: string; actor: string }): Promise<CardReadResult> => verifyCardRead(db, jws, { ...o, tables: TABLES });

export type LeaseResult = { ok: true; leaseUntil: Date } | { ok: false; reason: 'unknown_unit' | 'revoked' };

/** Registers (first time) or renews (afterwards) an agent the IdP vouches for, with a lease of an hour from now. */
export async function leaseAgent(db: Database, a: { id: string; hcode: string; jwk: jose.JWK; by: string }): Promise<LeaseResult> {
  return db.tx(async (q) => {
    if (!(await q.query('SELECT 1 FROM authencode.units WHERE hcode = $1', [a.hcode])).rows.length) return { ok: false, reason: 'unknown_unit' };
    const { rows } = await q.query<{ lease_until: Date; inserted: boolean }>(
      `INSERT INTO authencode.card_agents AS g (id, hcode, public_jwk, registered_by, lease_until)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int))
       ON CONFLICT (id) DO UPDATE SET hcode = EXCLUDED.hcode, public_jwk = EXCLUDED.public_jwk, lease_until = EXCLUDED.lease_until
       WHERE g.revoked_at IS NULL
       RETURNING lease_until, (xmax = 0) AS inserted`,
      [a.id, a.hcode, JSON.stringify(a.jwk), a.by, AGENT_LEASE_SECONDS],
    );
    const row = rows[0];
    if (!row) return { ok: false, reason: 'revoked' };
    // the first registration is an event; the renewals every quarter of an hour are not
    if (row.inserted) await recordAudit(q, { actor: a.by, action: 'agent.registered', detail: { agent: a.id, hcode: a.hcode, via: 'api', lease: true } });
    return { ok: true, leaseUntil: row.lease_until };
  });
}

/** An agent registered here whose lease runs (or that has none): the card in its reader is what it asks about. */
export async function isLiveAgent(db: Database, id: string, hcode: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM authencode.card_agents WHERE id = $1 AND hcode = $2 AND revoked_at IS NULL AND (${TABLES.activeAgent})`, [id, hcode]);
  return rows.length === 1;
}

/**
 * Who gets the entitlement by ID number (`/api/smartcard/probe`): outside the test zone only a card reader
 * agent registered here, with a live lease, by its own token — it asks about the card in its reader.
 */
export async function mayProbe(db: Database, caller: Caller, o: { testZone: boolean }): Promise<boolean> {
  if (o.testZone) return true;
  return caller.kind === 'his' && !!caller.agentJkt && (await isLiveAgent(db, caller.clientId, caller.hcode));
}
