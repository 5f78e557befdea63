// A person's sessions, grants and connected applications, read from oidc-provider's own records: with
// adapter.ts, the only code that queries oidc_models. Every statement is scoped to the account, so an
// id from a form can never reach someone else's rows.
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { ACCOUNT_CLIENT_ID } from './account_client.ts';

export interface SessionRow {
  id: string;
  loginTs: number | null;
  acr: string | null;
}

export interface GrantRow {
  id: string;
  clientId: string;
  scope: string;
}

/** Ends every session of the account (on every device) except, when given, the current one; returns how many. */
export async function endSessionsOf(q: Queryable, sub: string, except?: string): Promise<number> {
  const { rowCount } = await q.query(`DELETE FROM oidc_models WHERE model = 'Session' AND payload ->> 'accountId' = $1 AND id IS DISTINCT FROM $2`, [sub, except ?? null]);
  return rowCount;
}

/**
 * A deletion request carried out: every session, grant, code and token of the account goes; answers how
 * many records. Codes and tokens are found through their grant (oidc-provider issues every one of an
 * account's under a grant and refuses one whose grant is gone), so both halves use an index; searching
 * them by account would read every token in the country.
 */
export async function removeOidcRecordsOf(q: Queryable, sub: string): Promise<number> {
  const { rows } = await q.query<{ removed: string }>(REMOVE_OIDC_RECORDS_SQL, [sub]);
  return Number(rows[0]!.removed);
}

export const REMOVE_OIDC_RECORDS_SQL = `WITH own AS (
    DELETE FROM oidc_models WHERE model IN ('Session', 'Grant') AND payload ->> 'accountId' = $1 RETURNING model, id
  ), issued AS (
    DELETE FROM oidc_models WHERE grant_id IN (SELECT id FROM own WHERE model = 'Grant') RETURNING 1
  )
  SELECT (SELECT count(*) FROM own) + (SELECT count(*) FROM issued) AS removed`;

/** For each session of the account, the clients it logged in to, with the sid each was told. */
export async function sessionAuthorizations(q: Queryable, sub: string): Promise<Array<Record<string, { sid?: string }>>> {
  const { rows } = await q.query<{ authorizations: Record<string, { sid?: string }> | null }>(
    `SELECT payload -> 'authorizations' AS authorizations FROM oidc_models WHERE model = 'Session' AND payload ->> 'accountId' = $1`,
    [sub],
  );
  return rows.map((r) => r.authorizations ?? {});
}

/** The person's live grant for a client (consent given on any device), the longest-lived first. */
export async function latestGrant(q: Queryable, accountId: string, clientId: string): Promise<{ id: string; payload: unknown } | undefined> {
  const { rows } = await q.query<{ id: string; payload: unknown }>(
    `SELECT id, payload FROM oidc_models WHERE model = 'Grant' AND payload ->> 'accountId' = $1 AND payload ->> 'clientId' = $2
       AND (expires_at IS NULL OR expires_at > now()) ORDER BY expires_at DESC NULLS FIRST LIMIT 1`,
    [accountId, clientId],
  );
  return rows[0];
}

export function createSessionRecords(db: Database) {
  return {
    async sessions(sub: string): Promise<SessionRow[]> {
      const { rows } = await db.query<{ id: string; login_ts: string | null; acr: string | null }>(
        `SELECT id, payload ->> 'loginTs' AS login_ts, payload ->> 'acr' AS acr FROM oidc_models
         WHERE model = 'Session' AND payload ->> 'accountId' = $1 AND (expires_at IS NULL OR expires_at > now())
         ORDER BY (payload ->> 'loginTs')::bigint DESC NULLS LAST`,
        [sub],
      );
      return rows.map((r) => ({ id: r.id, loginTs: r.login_ts ? Number(r.login_ts) : null, acr: r.acr }));
    },

    async endSession(sub: string, id: string): Promise<boolean> {
      const { rowCount } = await db.query(`DELETE FROM oidc_models WHERE model = 'Session' AND id = $1 AND payload ->> 'accountId' = $2`, [id, sub]);
      return rowCount === 1;
    },

    /** Ends every session of the account except, when given, the current one. */
    endSessions: endSessionsOf,

    async grants(sub: string): Promise<GrantRow[]> {
      const { rows } = await db.query<{ id: string; client_id: string; scope: string | null }>(
        `SELECT id, payload ->> 'clientId' AS client_id, payload #>> '{openid,scope}' AS scope FROM oidc_models
         WHERE model = 'Grant' AND payload ->> 'accountId' = $1 AND payload ->> 'clientId' <> $2 AND (expires_at IS NULL OR expires_at > now())`,
        [sub, ACCOUNT_CLIENT_ID],
      );
      return rows.map((r) => ({ id: r.id, clientId: r.client_id, scope: r.scope ?? '' }));
    },

    /** Deletes the grant and every code and token issued under it. */
    async revokeGrant(sub: string, grantId: string): Promise<string | undefined> {
      return db.tx(async (q) => {
        const { rows } = await q.query<{ client_id: string }>(
          `DELETE FROM oidc_models WHERE model = 'Grant' AND id = $1 AND payload ->> 'accountId' = $2 RETURNING payload ->> 'clientId' AS client_id`,
          [grantId, sub],
        );
        if (!rows[0]) return undefined;
        await q.query('DELETE FROM oidc_models WHERE grant_id = $1', [grantId]);
        return rows[0].client_id;
      });
    },
  };
}

export type SessionRecords = ReturnType<typeof createSessionRecords>;
