// Card reader agents of service units as the IdP knows them: each is a public key in card_agents (the
// kid of its card-read documents) and an OIDC client with the same id (private_key_jwt with that key,
// client_credentials, the unit's hcode), so it gets access tokens for relying services such as Authen
// Code, carrying its key's thumbprint (agent_jkt). A unit administrator pairs one with a one-time code
// (10 minutes, stored as a keyed hash); an operator registers one with `mpid agent register`. Revoking
// disables the key and removes the client in one transaction. This module owns the agents' lifecycle
// and card_agent_pairing_codes; the kernel's card_read verifies documents against card_agents.
import { randomBytes, randomInt } from 'node:crypto';
import type * as jose from 'jose';
import type Provider from 'oidc-provider';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import { AgentKeyError, agentPublicJwk } from '../../kernel/card_read/agent_key.ts';
import { ClientMetadataError, removeClient, storeClient, validClientMetadata } from '../oidc/clients.ts';

export const PAIRING_CODE_SECONDS = 600;
/** no 0/O, 1/I/L: read off a screen and typed on another machine */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const AGENT_ID = /^agent-[0-9a-f]{16}$/;

/** A refusal with an OAuth-style error code: the pairing endpoint answers {error, error_description}. */
export class CardAgentError extends Error {
  override name = 'CardAgentError';
  code: 'invalid_request' | 'invalid_grant';
  constructor(code: CardAgentError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface CardAgent {
  id: string;
  name: string | null;
  version: string | null;
  registeredBy: string;
  registeredAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

/** An agent as an administrator sees it across units: its unit's code and name too. */
export interface UnitCardAgent extends CardAgent {
  hcode: string;
  unitName: string | null;
  revokedBy: string | null;
}

export type AgentState = 'active' | 'revoked';

/** The agent's public key, P-256 or Ed25519 (src/kernel/card_read/agent_key.ts); anything else is refused. */
export async function publicAgentJwk(input: unknown): Promise<jose.JWK> {
  try {
    return await agentPublicJwk(input);
  } catch (err) {
    if (err instanceof AgentKeyError) throw new CardAgentError('invalid_request', err.message);
    throw err;
  }
}

/** 'abcd-efgh', 'ABCDEFGH', 'abcd efgh' → 'ABCDEFGH'; undefined when it cannot be a code. */
export function normalizePairingCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  return code.length === 8 && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

export const formatPairingCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** An agent's OIDC client: its key, client credentials at the token endpoint, its unit. */
function agentClient(id: string, a: { hcode: string; jwk: jose.JWK; name?: string }) {
  return {
    client_id: id,
    client_name: a.name || id,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [a.jwk] },
    scope: 'openid',
    hcode: a.hcode,
  };
}

/**
 * The key of an unrevoked agent, for the thumbprint in its tokens; each token it gets is its last
 * sign of life (last_seen_at). Not an agent id → undefined without a query.
 */
export async function activeAgentKey(db: Queryable, clientId: string): Promise<jose.JWK | undefined> {
  if (!AGENT_ID.test(clientId)) return undefined;
  const { rows } = await db.query<{ public_jwk: jose.JWK }>('UPDATE card_agents SET last_seen_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING public_jwk', [clientId]);
  return rows[0]?.public_jwk;
}

export function createCardAgents(deps: { db: Database; pii: Pii; provider: Provider; now?: Clock }) {
  const { db, pii, provider } = deps;
  const now = deps.now ?? systemClock;
  const codeHash = (code: string) => pii.index(code, 'card-agent:pairing-code');

  const newAgentId = () => `agent-${randomBytes(8).toString('hex')}`;

  /** The agent's client metadata, validated before any transaction (oidc-provider's rules; no database). */
  async function clientFor(id: string, a: { hcode: string; jwk: jose.JWK; name?: string }) {
    try {
      return await validClientMetadata(provider, agentClient(id, a));
    } catch (err) {
      if (err instanceof ClientMetadataError) throw new CardAgentError('invalid_request', `the agent cannot be registered as a client: ${err.message}`);
      throw err;
    }
  }

  /** The key in card_agents and the client, in the caller's transaction (the id is new: random, 64 bits). */
  async function enrol(q: Queryable, id: string, client: Awaited<ReturnType<typeof clientFor>>, a: { hcode: string; jwk: jose.JWK; name?: string; version?: string; by: string }) {
    await q.query('INSERT INTO card_agents (id, hcode, public_jwk, registered_by, name, version) VALUES ($1, $2, $3, $4, $5, $6)', [id, a.hcode, JSON.stringify(a.jwk), a.by, a.name ?? null, a.version ?? null]);
    await storeClient(q, client);
  }

  const unitName = async (q: Queryable, hcode: string) =>
    (await q.query<{ name_th: string }>('SELECT name_th FROM service_units WHERE hcode = $1', [hcode])).rows[0]?.name_th;

  return {
    /** A one-time code for pairing an agent at this unit, shown once to the unit administrator `by`. */
    async createPairingCode(c: { hcode: string; by: string }): Promise<{ code: string; expiresAt: Date }> {
      if (!(await unitName(db, c.hcode))) throw new CardAgentError('invalid_request', `unknown unit ${c.hcode}`);
      const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const expiresAt = new Date(now() + PAIRING_CODE_SECONDS * 1000);
      await db.tx(async (q) => {
        await q.query('INSERT INTO card_agent_pairing_codes (code_hash, hcode, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [codeHash(code), c.hcode, c.by, new Date(now()), expiresAt]);
        await audit(q, { actor: c.by, action: 'agent.pairing_code_created', detail: { hcode: c.hcode, expires_at: expiresAt.toISOString() } });
      });
      return { code: formatPairingCode(code), expiresAt };
    },

    /**
     * Pairs an agent: the code is used up, the key registered at the code's unit and the client created,
     * in one transaction. A refusal (a wrong key, a client the provider refuses) leaves the code unused;
     * of two pairings with one code, the second finds it used.
     */
    async pair(p: { code: string; jwk: unknown; name: string; version: string; clientAddress?: string }): Promise<{ agentId: string; hcode: string; unitName: string }> {
      const jwk = await publicAgentJwk(p.jwk);
      const code = normalizePairingCode(p.code);
      const refused = new CardAgentError('invalid_grant', 'the pairing code is wrong, has expired or was already used; ask the unit administrator for a new one');
      if (!code) throw refused;
      const live = 'code_hash = $1 AND used_at IS NULL AND expires_at > $2';
      const hash = codeHash(code);
      const pending = (await db.query<{ hcode: string }>(`SELECT hcode FROM card_agent_pairing_codes WHERE ${live}`, [hash, new Date(now())])).rows[0];
      if (!pending) throw refused;
      const agentId = newAgentId();
      const client = await clientFor(agentId, { hcode: pending.hcode, jwk, name: p.name });
      return db.tx(async (q) => {
        const { rows } = await q.query<{ hcode: string; created_by: string }>(`UPDATE card_agent_pairing_codes SET used_at = $2 WHERE ${live} RETURNING hcode, created_by`, [hash, new Date(now())]);
        const found = rows[0];
        if (!found) throw refused;
        await enrol(q, agentId, client, { hcode: found.hcode, jwk, name: p.name, version: p.version, by: found.created_by });
        await q.query('UPDATE card_agent_pairing_codes SET agent_id = $2 WHERE code_hash = $1', [hash, agentId]);
        await audit(q, { actor: `agent:${agentId}`, action: 'agent.paired', clientAddress: p.clientAddress, detail: { agent: agentId, hcode: found.hcode, name: p.name, version: p.version, code_created_by: found.created_by } });
        return { agentId, hcode: found.hcode, unitName: (await unitName(q, found.hcode)) ?? found.hcode };
      });
    },

    /** An operator's registration (`mpid agent register`): the same key and client as a pairing. */
    async register(r: { hcode: string; jwk: unknown; name?: string; version?: string; by: string }): Promise<{ agentId: string; hcode: string }> {
      const jwk = await publicAgentJwk(r.jwk);
      if (!(await unitName(db, r.hcode))) throw new CardAgentError('invalid_request', `unknown unit ${r.hcode}`);
      const agentId = newAgentId();
      const client = await clientFor(agentId, { hcode: r.hcode, jwk, name: r.name });
      await db.tx(async (q) => {
        await enrol(q, agentId, client, { ...r, jwk });
        await audit(q, { actor: r.by, action: 'agent.registered', detail: { agent: agentId, hcode: r.hcode } });
      });
      return { agentId, hcode: r.hcode };
    },

    /** A unit's agents, active first, newest first. */
    async agentsAt(hcode: string): Promise<CardAgent[]> {
      const { rows } = await db.query<{ id: string; name: string | null; version: string | null; registered_by: string; registered_at: Date; last_seen_at: Date | null; revoked_at: Date | null }>(
        `SELECT id, name, version, registered_by, registered_at, last_seen_at, revoked_at FROM card_agents WHERE hcode = $1
         ORDER BY revoked_at IS NOT NULL, registered_at DESC`,
        [hcode],
      );
      return rows.map((r) => ({ id: r.id, name: r.name, version: r.version, registeredBy: r.registered_by, registeredAt: r.registered_at, lastSeenAt: r.last_seen_at, revokedAt: r.revoked_at }));
    },

    /**
     * Every unit's agents for an administrator, active first, newest first; only one unit's with `hcode`,
     * only the active or the revoked ones with `state`.
     */
    async list(o: { hcode?: string; state?: AgentState } = {}): Promise<UnitCardAgent[]> {
      const { rows } = await db.query<{ id: string; hcode: string; name_th: string | null; name: string | null; version: string | null; registered_by: string; registered_at: Date; last_seen_at: Date | null; revoked_at: Date | null; revoked_by: string | null }>(
        `SELECT a.id, a.hcode, u.name_th, a.name, a.version, a.registered_by, a.registered_at, a.last_seen_at, a.revoked_at, a.revoked_by
           FROM card_agents a LEFT JOIN service_units u ON u.hcode = a.hcode
          WHERE ($1::text IS NULL OR a.hcode = $1)
            AND ($2::text IS NULL OR ($2 = 'active' AND a.revoked_at IS NULL) OR ($2 = 'revoked' AND a.revoked_at IS NOT NULL))
          ORDER BY a.revoked_at IS NOT NULL, a.registered_at DESC, a.id
          LIMIT 1000`,
        [o.hcode ?? null, o.state ?? null],
      );
      return rows.map((r) => ({ id: r.id, hcode: r.hcode, unitName: r.name_th, name: r.name, version: r.version, registeredBy: r.registered_by, registeredAt: r.registered_at, lastSeenAt: r.last_seen_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by }));
    },

    /**
     * An administrator's revocation of any unit's agent, with a reason (audited with it): as the unit
     * administrator's, its card reads and its client are refused from now on. 'none': no such agent;
     * 'revoked': it was already revoked.
     */
    async revokeAsAdmin(r: { id: string; by: string; reason: string }): Promise<'done' | 'none' | 'revoked'> {
      if (!AGENT_ID.test(r.id)) return 'none';
      return db.tx(async (q) => {
        const { rows } = await q.query<{ hcode: string; revoked_at: Date | null }>('SELECT hcode, revoked_at FROM card_agents WHERE id = $1 FOR UPDATE', [r.id]);
        const found = rows[0];
        if (!found) return 'none';
        if (found.revoked_at) return 'revoked';
        await q.query('UPDATE card_agents SET revoked_at = now(), revoked_by = $2 WHERE id = $1', [r.id, r.by]);
        await removeClient(q, r.id);
        await audit(q, { actor: r.by, action: 'agent.revoked', detail: { agent: r.id, hcode: found.hcode, reason: r.reason, by_admin: true } });
        return 'done';
      });
    },

    /** Revokes an agent of this unit: its card reads and its client are refused from now on. */
    async revoke(r: { id: string; hcode: string; by: string }): Promise<boolean> {
      return db.tx(async (q) => {
        const { rowCount } = await q.query('UPDATE card_agents SET revoked_at = now(), revoked_by = $3 WHERE id = $1 AND hcode = $2 AND revoked_at IS NULL', [r.id, r.hcode, r.by]);
        if (!rowCount) return false;
        await removeClient(q, r.id);
        await audit(q, { actor: r.by, action: 'agent.revoked', detail: { agent: r.id, hcode: r.hcode } });
        return true;
      });
    },
  };
}

export type CardAgents = ReturnType<typeof createCardAgents>;
