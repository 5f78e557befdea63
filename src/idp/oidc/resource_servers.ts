// Registered resource servers (RFC 8707): they receive JWT access tokens (RFC 9068, typ at+jwt).
import { z } from 'zod';
import type { Database } from '../../kernel/db/index.ts';

export const resourceServerSchema = z.object({
  identifier: z.url({ message: 'identifier must be an absolute URI' }),
  scope: z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'scope must be space-separated scope tokens').optional().default(''),
  access_token_ttl: z.number().int().min(60).max(86400).optional().default(900),
  signing_alg: z.enum(['ES256', 'RS256', 'PS256', 'EdDSA']).optional().default('ES256'),
});

export async function addResourceServer(db: Database, input: unknown) {
  const rs = resourceServerSchema.parse(input);
  await db.query(
    `INSERT INTO resource_servers (identifier, scope, access_token_ttl, signing_alg) VALUES ($1, $2, $3, $4)
     ON CONFLICT (identifier) DO UPDATE SET scope = EXCLUDED.scope, access_token_ttl = EXCLUDED.access_token_ttl, signing_alg = EXCLUDED.signing_alg`,
    [rs.identifier, rs.scope, rs.access_token_ttl, rs.signing_alg],
  );
  return rs;
}

/**
 * Registers a resource server the IdP itself serves (the admin API, the coverage API): its scope is the
 * IdP's and it is never disabled (src/idp/admin/resource_servers refuses both), while an operator's
 * token lifetime and signing algorithm are kept when it exists.
 */
export async function ensureResourceServer(db: Database, input: unknown) {
  const rs = resourceServerSchema.parse(input);
  await db.query(
    `INSERT INTO resource_servers (identifier, scope, access_token_ttl, signing_alg) VALUES ($1, $2, $3, $4)
     ON CONFLICT (identifier) DO UPDATE SET scope = EXCLUDED.scope, disabled_at = NULL`,
    [rs.identifier, rs.scope, rs.access_token_ttl, rs.signing_alg],
  );
}

/** The resource server for a token, or undefined when none is registered or it is disabled (invalid_target). */
export async function findResourceServer(db: Database, identifier: string) {
  const { rows } = await db.query<{ scope: string; access_token_ttl: number; signing_alg: string }>(
    'SELECT scope, access_token_ttl, signing_alg FROM resource_servers WHERE identifier = $1 AND disabled_at IS NULL',
    [identifier],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    scope: r.scope,
    audience: identifier,
    accessTokenTTL: r.access_token_ttl,
    accessTokenFormat: 'jwt' as const,
    jwt: { sign: { alg: r.signing_alg as 'ES256' } },
  };
}
