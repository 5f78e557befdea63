// Registering relying parties from RFC 7591 metadata: validated by oidc-provider itself, stored
// through its adapter, printed back with the issued client_id and, where one is needed, client_secret.
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { postgresAdapter } from './adapter.ts';

const NEEDS_SECRET = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);
export const DEFAULT_CLIENT_SCOPE = 'openid offline_access profile phone';

export class ClientMetadataError extends Error {
  override name = 'ClientMetadataError';
}

/** The metadata completed (client_id, scope, secret) and validated by oidc-provider's own rules; nothing stored. */
export async function validClientMetadata(provider: Provider, input: unknown): Promise<Record<string, unknown> & { client_id: string }> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new ClientMetadataError('client metadata must be a JSON object');
  const metadata: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  metadata.client_id ??= randomBytes(12).toString('base64url');
  if (typeof metadata.client_id !== 'string' || !/^[\w.~-]{1,128}$/.test(metadata.client_id)) {
    throw new ClientMetadataError('client_id must be 1–128 characters of letters, digits, ".", "_", "~" or "-"');
  }
  metadata.scope ??= DEFAULT_CLIENT_SCOPE;
  const method = (metadata.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic';
  if (NEEDS_SECRET.has(method)) metadata.client_secret ??= randomBytes(32).toString('base64url');
  else if (metadata.client_secret !== undefined) throw new ClientMetadataError(`client_secret is not used with token_endpoint_auth_method ${method}`);
  metadata.client_id_issued_at = Math.floor(Date.now() / 1000);
  if (metadata.client_secret) metadata.client_secret_expires_at = 0;
  try {
    await provider.Client.validate(metadata as never);
  } catch (err) {
    const e = err as { error?: string; error_description?: string; message: string };
    throw new ClientMetadataError(e.error_description ?? e.message);
  }
  return metadata as Record<string, unknown> & { client_id: string };
}

export async function registerClient(provider: Provider, db: Database, input: unknown): Promise<Record<string, unknown>> {
  const metadata = await validClientMetadata(provider, input);
  const existing = await provider.Client.find(metadata.client_id).catch(() => undefined);
  if (existing) throw new ClientMetadataError(`client_id ${metadata.client_id} is already registered`);
  await storeClient(db, metadata);
  return metadata;
}

/**
 * Stores validated metadata (validClientMetadata) under a client_id the caller knows to be new: in the
 * transaction that records what goes with the client (a card reader agent's key).
 */
export async function storeClient(q: Queryable, metadata: Record<string, unknown> & { client_id: string }): Promise<void> {
  await new (postgresAdapter(q))('Client').upsert(metadata.client_id, metadata as never);
}

/** Removes a registered client: the token endpoint refuses it at once (tokens already issued run out). */
export async function removeClient(db: Queryable, clientId: string): Promise<void> {
  await new (postgresAdapter(db))('Client').destroy(clientId);
}

/** A disabled client is kept under another model name: oidc-provider no longer finds it (every endpoint refuses it), and nothing is lost. */
const DISABLED = 'DisabledClient';

export interface ClientRecord {
  metadata: Record<string, unknown> & { client_id: string };
  disabled: boolean;
}

/** Registered clients (enabled and disabled), by name or id containing `search`, ordered by client_id. */
export async function listClients(q: Queryable, o: { search?: string; limit: number; offset: number; except?: RegExp }): Promise<{ clients: ClientRecord[]; more: boolean }> {
  const like = o.search ? `%${o.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await q.query<{ model: string; payload: ClientRecord['metadata'] }>(
    `SELECT model, payload FROM oidc_models WHERE model IN ('Client', '${DISABLED}')
       AND ($1::text IS NULL OR id ILIKE $1 OR payload ->> 'client_name' ILIKE $1)
     ORDER BY id LIMIT $2 OFFSET $3`,
    [like, o.limit + 1, o.offset],
  );
  const clients = rows.map((r) => ({ metadata: r.payload, disabled: r.model === DISABLED }));
  return { clients: clients.slice(0, o.limit), more: clients.length > o.limit };
}

export async function findClientRecord(q: Queryable, clientId: string): Promise<ClientRecord | undefined> {
  const { rows } = await q.query<{ model: string; payload: ClientRecord['metadata'] }>(`SELECT model, payload FROM oidc_models WHERE model IN ('Client', '${DISABLED}') AND id = $1`, [clientId]);
  const r = rows[0];
  return r && { metadata: r.payload, disabled: r.model === DISABLED };
}

/** Replaces a client's stored metadata (validated by the caller with validClientMetadata), enabled or disabled as it is. */
export async function replaceClient(q: Queryable, record: ClientRecord): Promise<void> {
  await q.query(`UPDATE oidc_models SET payload = $2 WHERE model = $3 AND id = $1`, [record.metadata.client_id, JSON.stringify(record.metadata), record.disabled ? DISABLED : 'Client']);
}

/** Disables or enables a client; false when it was not found in the other state. A disabled client's tokens in storage go too. */
export async function setClientDisabled(q: Queryable, clientId: string, disabled: boolean): Promise<boolean> {
  const [from, to] = disabled ? ['Client', DISABLED] : [DISABLED, 'Client'];
  const { rowCount } = await q.query(`UPDATE oidc_models SET model = $3 WHERE model = $2 AND id = $1`, [clientId, from, to]);
  if (rowCount === 1 && disabled) {
    // codes and opaque tokens issued to it stop working at once (JWT access tokens run out within their
    // life); the models are those of the index on a client's records (migration 0021): the device flow
    // and CIBA, which would add theirs, are off (provider.ts)
    await q.query(`DELETE FROM oidc_models WHERE model IN ('AuthorizationCode', 'AccessToken', 'RefreshToken', 'ClientCredentials') AND payload ->> 'clientId' = $1`, [clientId]);
  }
  return rowCount === 1;
}

/** People with a live grant, counted up to a bound: `atLeast` when there are more. */
export interface PeopleCount {
  people: number;
  atLeast: boolean;
}

/** A national relying party holds millions of grants: counting them all for a page would read every one. */
export const PEOPLE_COUNTED_UP_TO = 10_000;

export const GRANT_COUNTS_SQL = `SELECT c.client_id, g.people, g.grants FROM unnest($1::text[]) AS c(client_id)
  CROSS JOIN LATERAL (
    SELECT count(DISTINCT account_id) AS people, count(*) AS grants FROM (
      SELECT payload ->> 'accountId' AS account_id FROM oidc_models
      WHERE model = 'Grant' AND payload ->> 'clientId' = c.client_id AND (expires_at IS NULL OR expires_at > now()) LIMIT $2
    ) live
  ) g`;

/** How many people have a live grant (consent) for each client, up to `upTo` grants read per client. */
export async function grantCounts(q: Queryable, clientIds: string[], upTo = PEOPLE_COUNTED_UP_TO): Promise<Map<string, PeopleCount>> {
  if (!clientIds.length) return new Map();
  const { rows } = await q.query<{ client_id: string; people: string; grants: string }>(GRANT_COUNTS_SQL, [clientIds, upTo]);
  return new Map(rows.map((r) => [r.client_id, { people: Number(r.people), atLeast: Number(r.grants) >= upTo }]));
}

/** A new secret for a client that authenticates with one; the metadata to store with it. */
export function withNewSecret(metadata: ClientRecord['metadata']): ClientRecord['metadata'] {
  const method = (metadata.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic';
  if (!NEEDS_SECRET.has(method)) throw new ClientMetadataError(`a client with token_endpoint_auth_method ${method} has no secret`);
  return { ...metadata, client_secret: randomBytes(32).toString('base64url'), client_secret_expires_at: 0 };
}
