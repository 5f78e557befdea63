// Access-token claims that say at which service units a token may act, for resource servers such as
// the Authen Code service: a hospital system's client-credentials token carries the one unit its
// client is registered for (`hcode`); a person's token carries the units where they are linked health
// personnel (`hcodes`), when the client may know that (the health_personnel scope is registered) and
// the person granted it to that client.
import type { HealthPersonnelClaim } from '../personnel/index.ts';
import { clientAllowed } from './claims.ts';

type Client = { metadata(): Record<string, unknown>; scope?: string } | undefined;

export async function unitTokenClaims(
  token: { kind: string; accountId?: string },
  client: Client,
  healthPersonnel: ((sub: string) => Promise<HealthPersonnelClaim | undefined>) | undefined,
  grantedScopes: () => Promise<string[]>,
): Promise<Record<string, unknown> | undefined> {
  if (token.kind === 'ClientCredentials') {
    const hcode = client?.metadata().hcode;
    return typeof hcode === 'string' ? { hcode } : undefined;
  }
  if (token.kind === 'AccessToken' && token.accountId && healthPersonnel && clientAllowed(client, 'health_personnel') && (await grantedScopes()).includes('health_personnel')) {
    const personnel = await healthPersonnel(token.accountId);
    return personnel ? { hcodes: personnel.organizations.map((o) => o.hcode) } : undefined;
  }
  return undefined;
}
