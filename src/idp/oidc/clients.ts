// Registering relying parties from RFC 7591 metadata: validated by oidc-provider itself, stored
// through its adapter, printed back with the issued client_id and, where one is needed, client_secret.
import { randomBytes } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import { postgresAdapter } from './adapter.ts';

const NEEDS_SECRET = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);
export const DEFAULT_CLIENT_SCOPE = 'openid offline_access profile phone';

export class ClientMetadataError extends Error {
  override name = 'ClientMetadataError';
}

export async function registerClient(provider: Provider, db: Database, input: unknown): Promise<Record<string, unknown>> {
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
  const existing = await provider.Client.find(metadata.client_id as string).catch(() => undefined);
  if (existing) throw new ClientMetadataError(`client_id ${String(metadata.client_id)} is already registered`);
  await new (postgresAdapter(db))('Client').upsert(metadata.client_id as string, metadata as never);
  return metadata;
}
