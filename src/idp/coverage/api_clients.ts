// Which OIDC clients may read the coverage API (`coverage_api_clients`, this module owns it): a client
// with no row gets no coverage token and no answer; province null sees every area, a 2-digit code only
// that province. Every grant and revocation is audited with its reason.
import type { Database, Queryable } from '../../kernel/db/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { findClientRecord } from '../oidc/clients.ts';

export interface CoverageApiClient {
  clientId: string;
  /** null: every area */
  province: string | null;
  reason: string;
  grantedBy: string;
  grantedAt: Date;
}

export class CoverageApiClientError extends Error {
  override name = 'CoverageApiClientError';
}

type Row = { client_id: string; province: string | null; reason: string; granted_by: string; granted_at: Date };
const fromRow = (r: Row): CoverageApiClient => ({ clientId: r.client_id, province: r.province, reason: r.reason, grantedBy: r.granted_by, grantedAt: r.granted_at });

/** The client's allowance, or undefined when it may not read the coverage API. */
export async function findCoverageApiClient(q: Queryable, clientId: string): Promise<CoverageApiClient | undefined> {
  const { rows } = await q.query<Row>('SELECT client_id, province, reason, granted_by, granted_at FROM coverage_api_clients WHERE client_id = $1', [clientId]);
  return rows[0] && fromRow(rows[0]);
}

export function createCoverageApiClients(db: Database) {
  return {
    find: (clientId: string) => findCoverageApiClient(db, clientId),

    async list(): Promise<CoverageApiClient[]> {
      const { rows } = await db.query<Row>('SELECT client_id, province, reason, granted_by, granted_at FROM coverage_api_clients ORDER BY client_id');
      return rows.map(fromRow);
    },

    /** Allows a registered client (every area, or one province); a second allow replaces the first. */
    async allow(a: { clientId: string; province: string | null; by: string; reason: string }): Promise<CoverageApiClient> {
      if (a.province !== null && !/^\d{2}$/.test(a.province)) throw new CoverageApiClientError('a province is its 2-digit code (27: Sa Kaeo)');
      if (!a.reason.trim()) throw new CoverageApiClientError('a reason is required');
      if (!(await findClientRecord(db, a.clientId))) throw new CoverageApiClientError(`no client ${a.clientId} is registered`);
      return db.tx(async (q) => {
        const { rows } = await q.query<Row>(
          `INSERT INTO coverage_api_clients (client_id, province, reason, granted_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (client_id) DO UPDATE SET province = EXCLUDED.province, reason = EXCLUDED.reason, granted_by = EXCLUDED.granted_by, granted_at = now()
           RETURNING client_id, province, reason, granted_by, granted_at`,
          [a.clientId, a.province, a.reason, a.by],
        );
        await audit(q, { actor: a.by, action: 'coverage.api_client_allowed', detail: { client_id: a.clientId, province: a.province, reason: a.reason } });
        return fromRow(rows[0]!);
      });
    },

    /** Withdraws the allowance: no new coverage token, and tokens already issued are refused by the API. */
    async revoke(r: { clientId: string; by: string; reason: string }): Promise<boolean> {
      if (!r.reason.trim()) throw new CoverageApiClientError('a reason is required');
      return db.tx(async (q) => {
        const { rowCount } = await q.query('DELETE FROM coverage_api_clients WHERE client_id = $1', [r.clientId]);
        if (!rowCount) return false;
        await audit(q, { actor: r.by, action: 'coverage.api_client_revoked', detail: { client_id: r.clientId, reason: r.reason } });
        return true;
      });
    },
  };
}

export type CoverageApiClients = ReturnType<typeof createCoverageApiClients>;
