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
