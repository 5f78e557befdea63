// oidc-provider's storage adapter on PostgreSQL/PGlite: one table for every model, indexed lookups.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { prefetch, takePrefetched } from './prefetch.ts';
import { requestScope } from '../../kernel/http/request_id.ts';
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { groupCommit, type GroupCommit } from '../../kernel/db/group_commit.ts';

const FIND = {
  id: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())',
  uid: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())',
  user_code:
    'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > now())',
} as const;

// A record found inside a request brings the record that request looks up next, in the
// same statement, for that lookup to take (prefetch.ts):
// - a code, token or device request names its grant: every request that finds one (the code and refresh
//   grants, userinfo, introspection) reads that grant next, before it writes anything;
// - an interaction names its client: the login pages show it, and the authorization resumed after the
//   interaction checks it.
// One statement text per companion ($1 the record's model, $2 its id), the companion filtered as FIND.id
// filters it; a payload is never NULL, so a NULL companion payload is one not found.
const findWithCompanion = (companion: string, companionId: string) => `SELECT r.payload, r.consumed_at, ${companionId} AS companion_id, c.payload AS companion_payload, c.consumed_at AS companion_consumed_at
  FROM oidc_models r LEFT JOIN oidc_models c ON c.model = '${companion}' AND c.id = ${companionId} AND (c.expires_at IS NULL OR c.expires_at > now())
  WHERE r.model = $1 AND r.id = $2 AND (r.expires_at IS NULL OR r.expires_at > now())`;
export const FIND_WITH_GRANT = findWithCompanion('Grant', 'r.grant_id');
export const FIND_INTERACTION_WITH_CLIENT = findWithCompanion('Client', `r.payload #>> '{params,client_id}'`);
const GRANT_BOUND = ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'];
const COMPANIONS = new Map<string, { model: string; sql: string }>([
  ...GRANT_BOUND.map((model) => [model, { model: 'Grant', sql: FIND_WITH_GRANT }] as const),
  ['Interaction', { model: 'Client', sql: FIND_INTERACTION_WITH_CLIENT }],
]);

interface WithCompanion {
  payload: AdapterPayload;
  consumed_at: Date | null;
  companion_id: string | null;
  companion_payload: AdapterPayload | null;
  companion_consumed_at: Date | null;
}

const withConsumed = (payload: AdapterPayload, consumedAt: Date | null): AdapterPayload =>
  consumedAt ? { ...payload, consumed: Math.floor(consumedAt.getTime() / 1000) } : payload;

const UPSERT_SET = `ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
  user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`;

// the rows of one group commit (group_commit.ts), as one JSON parameter: one statement text for any count
const UPSERT_ROWS = `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at)
  SELECT r.model, r.id, r.payload, r.grant_id, r.user_code, r.uid,
    CASE WHEN r.expires_in IS NULL THEN NULL ELSE now() + make_interval(secs => r.expires_in) END
  FROM jsonb_to_recordset($1::jsonb) AS r(model text, id text, payload jsonb, grant_id text, user_code text, uid text, expires_in int)
  ${UPSERT_SET}`;

interface ModelRow {
  model: string;
  id: string;
  payload: AdapterPayload;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_in: number | null;
}

/** Concurrent requests' records written together (group commit): on the pool, never inside a transaction. */
export function modelWrites(db: Database): GroupCommit<ModelRow> {
  return groupCommit<ModelRow>(
    async (rows) => {
      await db.query(UPSERT_ROWS, [JSON.stringify(rows)]);
    },
    (r) => `${r.model}\0${r.id}`,
  );
}

/**
 * `db` may be a transaction's connection (a client registered with the rows that go with it); `writes`
 * (modelWrites, for the provider's adapter on the pool) sends upserts through one group commit.
 */
export function postgresAdapter(db: Queryable, writes?: GroupCommit<ModelRow>) {
  return class PostgresAdapter implements Adapter {
    name: string;

    constructor(name: string) {
      this.name = name;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (writes) {
        return writes.write({ model: this.name, id, payload, grant_id: payload.grantId ?? null, user_code: payload.userCode ?? null, uid: payload.uid ?? null, expires_in: expiresIn ?? null });
      }
      await db.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ${UPSERT_SET}`,
        [this.name, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn ?? null],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      // read already by another statement of this request (prefetch.ts)
      const hit = takePrefetched(this.name, id);
      if (hit) return (hit.payload ?? undefined) as AdapterPayload | undefined;
      const companion = COMPANIONS.get(this.name);
      // outside a request there is no next lookup to hand a companion to
      if (!companion || !requestScope()) return this.#one('id', id);
      const { rows } = await db.query<WithCompanion>(companion.sql, [this.name, id]);
      const row = rows[0];
      if (!row) return undefined;
      // not found is handed on too: the companion's lookup then answers "not found" without asking again
      if (row.companion_id !== null) {
        prefetch(companion.model, row.companion_id, row.companion_payload === null ? undefined : withConsumed(row.companion_payload, row.companion_consumed_at));
      }
      return withConsumed(row.payload, row.consumed_at);
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
      return row && withConsumed(row.payload, row.consumed_at);
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
