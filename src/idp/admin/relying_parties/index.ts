// Relying parties as an administrator manages them: list and search, register, edit, rotate a secret
// (shown once), disable and re-enable, and how many people granted each one access. One set of rules
// for the console, the admin API and `mpid client …`: metadata is validated by oidc-provider's own
// rules (validClientMetadata), every change is an audit event with its actor, a secret is never read
// back, and what only an operator may grant (the admin API, PKCE exemption) cannot be set through the
// admin API. Card reader agents' clients are managed with their agents and are left out here.
import type Provider from 'oidc-provider';
import type { Database } from '../../../kernel/db/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import {
  ClientMetadataError, findClientRecord, grantCounts, listClients, replaceClient, setClientDisabled, storeClient, validClientMetadata, withNewSecret, type ClientRecord, type PeopleCount,
} from '../../oidc/clients.ts';
import { AGENT_ID } from '../../card_agents/index.ts';

/** who asks: a person at the console, a client of the admin API, or the operator's command line */
export type Actor = { kind: 'person'; sub: string } | { kind: 'client'; clientId: string } | { kind: 'operator'; name: string };
export const actorId = (a: Actor) => (a.kind === 'person' ? a.sub : a.kind === 'client' ? `client:${a.clientId}` : `operator:${a.name}`);

/** metadata only an operator or an administrator in person may set: an automation does not widen its own powers */
const PRIVILEGED = ['admin_api', 'pkce_exempt', 'resource_server'] as const;

export class RelyingPartyError extends Error {
  override name = 'RelyingPartyError';
  readonly status: 400 | 403 | 404 | 409;
  constructor(status: 400 | 403 | 404 | 409, message: string) {
    super(message);
    this.status = status;
  }
}

export interface RelyingPartySummary {
  client_id: string;
  client_name?: string;
  disabled: boolean;
  grant_types: string[];
  token_endpoint_auth_method: string;
  /** people with a live grant (consent) for it, exact below PEOPLE_COUNTED_UP_TO grants (src/idp/oidc/clients.ts) */
  people: number;
  /** true when `people` is where the count stopped: there are at least that many */
  people_at_least: boolean;
}

/** A client's metadata as it may be shown: the secret removed, its presence said. */
export function shownMetadata(m: Record<string, unknown>): Record<string, unknown> {
  const { client_secret: secret, ...rest } = m;
  return { ...rest, has_secret: typeof secret === 'string' };
}

const NOBODY: PeopleCount = { people: 0, atLeast: false };

const summaryOf = (r: ClientRecord, count: PeopleCount): RelyingPartySummary => ({
  client_id: r.metadata.client_id,
  ...(typeof r.metadata.client_name === 'string' ? { client_name: r.metadata.client_name } : {}),
  disabled: r.disabled,
  grant_types: (r.metadata.grant_types as string[] | undefined) ?? ['authorization_code'],
  token_endpoint_auth_method: (r.metadata.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic',
  people: count.people,
  people_at_least: count.atLeast,
});

export function createRelyingParties(deps: { db: Database; provider: Provider }) {
  const { db, provider } = deps;

  function refusePrivileged(actor: Actor, input: Record<string, unknown>, before?: Record<string, unknown>) {
    if (actor.kind !== 'client') return;
    for (const key of PRIVILEGED) {
      if (input[key] !== undefined && input[key] !== before?.[key]) throw new RelyingPartyError(403, `${key} can be set by an administrator in the console or by the operator (mpid), not through the admin API`);
    }
  }

  async function existing(clientId: string): Promise<ClientRecord> {
    const found = AGENT_ID.test(clientId) ? undefined : await findClientRecord(db, clientId);
    if (!found) throw new RelyingPartyError(404, `no relying party ${clientId}`);
    return found;
  }

  async function validated(input: unknown): Promise<Record<string, unknown> & { client_id: string }> {
    try {
      return await validClientMetadata(provider, input);
    } catch (err) {
      if (err instanceof ClientMetadataError) throw new RelyingPartyError(400, err.message);
      throw err;
    }
  }

  return {
    async list(o: { search?: string; page: number; size: number }): Promise<{ items: RelyingPartySummary[]; more: boolean }> {
      const { clients, more } = await listClients(db, { search: o.search || undefined, limit: o.size, offset: (o.page - 1) * o.size });
      const shown = clients.filter((c) => !AGENT_ID.test(c.metadata.client_id));
      const people = await grantCounts(db, shown.map((c) => c.metadata.client_id));
      return { items: shown.map((c) => summaryOf(c, people.get(c.metadata.client_id) ?? NOBODY)), more };
    },

    async get(clientId: string): Promise<{ metadata: Record<string, unknown>; disabled: boolean; people: number; people_at_least: boolean }> {
      const r = await existing(clientId);
      const count = (await grantCounts(db, [clientId])).get(clientId) ?? NOBODY;
      return { metadata: shownMetadata(r.metadata), disabled: r.disabled, people: count.people, people_at_least: count.atLeast };
    },

    /** Registers a relying party; the answer carries its secret, the only time it is shown. */
    async register(actor: Actor, input: unknown): Promise<Record<string, unknown>> {
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new RelyingPartyError(400, 'client metadata must be a JSON object');
      refusePrivileged(actor, input as Record<string, unknown>);
      const metadata = await validated(input);
      if (AGENT_ID.test(metadata.client_id)) throw new RelyingPartyError(400, 'client_id agent-… is kept for card reader agents');
      return db.tx(async (q) => {
        if (await findClientRecord(q, metadata.client_id)) throw new RelyingPartyError(409, `client_id ${metadata.client_id} is already registered`);
        await storeClient(q, metadata);
        await audit(q, { actor: actorId(actor), action: 'client.registered', detail: { client_id: metadata.client_id } });
        return metadata;
      });
    },

    /** Replaces a relying party's metadata (its id, secret and issue time are kept); answers what is stored now. */
    async update(actor: Actor, clientId: string, input: unknown): Promise<Record<string, unknown>> {
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new RelyingPartyError(400, 'client metadata must be a JSON object');
      const before = await existing(clientId);
      const given = input as Record<string, unknown>;
      if (given.client_id !== undefined && given.client_id !== clientId) throw new RelyingPartyError(400, 'client_id cannot be changed');
      if (given.client_secret !== undefined) throw new RelyingPartyError(400, 'client_secret cannot be set; rotate it instead');
      refusePrivileged(actor, given, before.metadata);
      const keep = { client_id: clientId, client_id_issued_at: before.metadata.client_id_issued_at, ...(before.metadata.client_secret ? { client_secret: before.metadata.client_secret } : {}) };
      const metadata = await validated({ ...given, ...keep });
      await db.tx(async (q) => {
        await replaceClient(q, { metadata, disabled: before.disabled });
        await audit(q, { actor: actorId(actor), action: 'client.updated', detail: { client_id: clientId } });
      });
      return shownMetadata(metadata);
    },

    /** A new secret, shown once; the old one stops working at once. */
    async rotateSecret(actor: Actor, clientId: string): Promise<{ client_id: string; client_secret: string }> {
      const before = await existing(clientId);
      let metadata: ClientRecord['metadata'];
      try {
        metadata = withNewSecret(before.metadata);
      } catch (err) {
        if (err instanceof ClientMetadataError) throw new RelyingPartyError(400, err.message);
        throw err;
      }
      await db.tx(async (q) => {
        await replaceClient(q, { metadata, disabled: before.disabled });
        await audit(q, { actor: actorId(actor), action: 'client.secret_rotated', detail: { client_id: clientId } });
      });
      return { client_id: clientId, client_secret: metadata.client_secret as string };
    },

    /** Disables (every endpoint then refuses the client, its stored tokens go) or re-enables it, with a reason. */
    async setDisabled(actor: Actor, clientId: string, disabled: boolean, reason: string): Promise<void> {
      await existing(clientId);
      if (!reason.trim()) throw new RelyingPartyError(400, 'a reason is required');
      await db.tx(async (q) => {
        if (!(await setClientDisabled(q, clientId, disabled))) throw new RelyingPartyError(409, `relying party ${clientId} is already ${disabled ? 'disabled' : 'enabled'}`);
        await audit(q, { actor: actorId(actor), action: disabled ? 'client.disabled' : 'client.enabled', detail: { client_id: clientId, reason: reason.trim().slice(0, 200) } });
      });
    },
  };
}

export type RelyingParties = ReturnType<typeof createRelyingParties>;
