// Test zone: the relying services started with the IdP (the Authen Code service) are registered with it
// as an operator would (`mpid client add`, `mpid resource-server add`), replaced on every start so a
// changed port or key takes effect.
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import { postgresAdapter } from './adapter.ts';
import { registerClient } from './clients.ts';
import { addResourceServer } from './resource_servers.ts';

export async function registerRelyingService(provider: Provider, db: Database, o: { client: Record<string, unknown> & { client_id: string }; resource?: { identifier: string; scope: string } }): Promise<void> {
  await new (postgresAdapter(db))('Client').destroy(o.client.client_id);
  await registerClient(provider, db, o.client);
  if (o.resource) await addResourceServer(db, o.resource);
}
