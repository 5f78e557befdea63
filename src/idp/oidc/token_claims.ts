// Access-token claims that say at which service units a token may act, for resource servers such as
// the Authen Code service: a hospital system's client-credentials token carries the one unit its
// client is registered for (`hcode`); a person's token carries the units where they are linked health
// personnel (`hcodes`), when the client may know that (the health_personnel scope is registered) and
// the person granted it to that client. A card reader agent's token also carries `agent_jkt`, the
// RFC 7638 thumbprint of the agent's registered key, while the agent is not revoked.
import type * as jose from 'jose';
import { agentKeyThumbprint } from '../../kernel/card_read/agent_key.ts';
import type { HealthPersonnelClaim } from '../personnel/index.ts';
import { clientAllowed } from './claims.ts';

type Client = { clientId?: string; scope?: string } | undefined;

/**
 * One of our extra client metadata values (extraClientMetadata), as oidc-provider keeps it on the client
 * instance under its own name; `client.metadata()` would rebuild every property of the client each call.
 */
export function extraMetadata(client: object | undefined, key: 'resource_server' | 'pkce_exempt' | 'hcode' | 'admin_api'): unknown {
  return client ? (client as Record<string, unknown>)[key] : undefined;
}

/** The public key of the unrevoked card reader agent with this client id, if it is one. */
export type AgentKeyOf = (clientId: string) => Promise<jose.JWK | undefined>;

export async function unitTokenClaims(
  token: { kind: string; accountId?: string },
  client: Client,
  healthPersonnel: ((sub: string) => Promise<HealthPersonnelClaim | undefined>) | undefined,
  grantedScopes: () => Promise<string[]>,
  agentKeyOf?: AgentKeyOf,
): Promise<Record<string, unknown> | undefined> {
  if (token.kind === 'ClientCredentials') {
    const hcode = extraMetadata(client, 'hcode');
    if (typeof hcode !== 'string') return undefined;
    const agentKey = client?.clientId && agentKeyOf ? await agentKeyOf(client.clientId) : undefined;
    return agentKey ? { hcode, agent_jkt: await agentKeyThumbprint(agentKey) } : { hcode };
  }
  if (token.kind === 'AccessToken' && token.accountId && healthPersonnel && clientAllowed(client, 'health_personnel') && (await grantedScopes()).includes('health_personnel')) {
    const personnel = await healthPersonnel(token.accountId);
    return personnel ? { hcodes: personnel.organizations.map((o) => o.hcode) } : undefined;
  }
  return undefined;
}
