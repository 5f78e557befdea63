// Upstream logins under way and the assertions they produced, each used once: the only code that
// queries `upstream_logins`. The data is encrypted (it holds the PKCE verifier and nonce, then the ID
// number and names the upstream vouched for); the browser holds only the random id, in a signed cookie.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';

export type RowKind = 'login' | 'assertion';

export function createUpstreamStore(db: Database, pii: Pii) {
  const context = (kind: RowKind, id: string) => `upstream_${kind}:${id}`;
  return {
    async put(kind: RowKind, upstream: string, purpose: string, data: unknown, seconds: number): Promise<string> {
      const id = randomBytes(18).toString('base64url');
      await db.query(
        `INSERT INTO upstream_logins (id, kind, upstream, purpose, data_cipher, expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::int))`,
        [id, kind, upstream, purpose, pii.encrypt(JSON.stringify(data), context(kind, id)), seconds],
      );
      return id;
    },
    /** The row's data, deleted in the same statement: a second use finds nothing. */
    async take<T>(kind: RowKind, id: string, upstream: string, purpose?: string): Promise<{ purpose: string; data: T } | undefined> {
      const { rows } = await db.query<{ purpose: string; data_cipher: string }>(
        `DELETE FROM upstream_logins WHERE id = $1 AND kind = $2 AND upstream = $3 AND ($4::text IS NULL OR purpose = $4) AND expires_at > now() RETURNING purpose, data_cipher`,
        [id, kind, upstream, purpose ?? null],
      );
      const r = rows[0];
      return r && { purpose: r.purpose, data: JSON.parse(pii.decrypt(r.data_cipher, context(kind, id))) as T };
    },
    /** The row's data, left in place (a form shown again). */
    async peek<T>(kind: RowKind, id: string, upstream: string, purpose: string): Promise<T | undefined> {
      const { rows } = await db.query<{ data_cipher: string }>(
        `SELECT data_cipher FROM upstream_logins WHERE id = $1 AND kind = $2 AND upstream = $3 AND purpose = $4 AND expires_at > now()`,
        [id, kind, upstream, purpose],
      );
      return rows[0] && (JSON.parse(pii.decrypt(rows[0].data_cipher, context(kind, id))) as T);
    },
  };
}

export type UpstreamStore = ReturnType<typeof createUpstreamStore>;
