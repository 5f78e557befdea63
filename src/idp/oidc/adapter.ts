// oidc-provider's storage adapter on PostgreSQL/PGlite: one table for every model, indexed lookups.
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { takePrefetched } from './prefetch.ts';
import type { Database, Queryable } from '../../kernel/db/index.ts';

const FIND = {
  id: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())',
  uid: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())',
  user_code:
    'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > now())',
} as const;

/** `db` may be a transaction's connection (a client registered with the rows that go with it). */
export function postgresAdapter(db: Queryable) {
  return class PostgresAdapter implements Adapter {
    name: string;

    constructor(name: string) {
      this.name = name;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      await db.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
        [this.name, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn ?? null],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      // read already by another statement of this request (prefetch.ts)
      const hit = takePrefetched(Provider.ctx, this.name, id);
      if (hit) return (hit.payload ?? undefined) as AdapterPayload | undefined;
      return this.#one('id', id);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.#one('user_code', userCode);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.#one('uid', uid);
    }

    async consume(id: string): Promise<void> {
      await db.query('UPDATE oidc_models SET consumed_at = now() WHERE model = $1 AND id = $2', [this.name, id]);
    }

    async destroy(id: string): Promise<void> {
      await db.query('DELETE FROM oidc_models WHERE model = $1 AND id = $2', [this.name, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.query('DELETE FROM oidc_models WHERE grant_id = $1 AND model = $2', [grantId, this.name]);
    }

    async #one(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const { rows } = await db.query<{ payload: AdapterPayload; consumed_at: Date | null }>(FIND[column], [this.name, value]);
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed_at ? { ...row.payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : row.payload;
    }
  };
}

/** Deletes expired rows; returns how many. Run periodically by the server. */
export async function sweepExpired(db: Database, batch = 5000): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM oidc_models WHERE ctid = ANY (ARRAY(
       SELECT ctid FROM oidc_models WHERE expires_at < now() LIMIT $1))`,
    [batch],
  );
  return rowCount;
}
