// The statements every token request and login runs (counted per request in docs/benchmarks.md), and
// the pages' lookups of one person's or one verifier's evidence, with parameters of the right types:
// test/idp/hot_queries.test.ts proves each has an index, bench/scale.ts
// prints their plans at 10 thousand and at millions of accounts. The SQL is copied from the module
// that owns the table; a changed statement there belongs here too.
import { createHash } from 'node:crypto';
import { EARLIER_LOGINS_SEEN, EARLIER_LOGINS_SQL } from '../../src/idp/login/device.ts';

const h = (s: string) => createHash('sha256').update(s).digest();

export interface HotQuery {
  name: string;
  sql: string;
  params: unknown[];
}

export function hotQueries(sub = 'gen-1', clientId = 'gen-client-1'): HotQuery[] {
  return [
    { name: 'oidc_models by id (client, token, grant, interaction)', sql: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())', params: ['Grant', 'gen-grant-1-a'] },
    { name: 'oidc_models by uid (session)', sql: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())', params: ['Session', 'gen-uid-1'] },
    { name: 'latest grant of a person for a client (src/idp/oidc/sessions.ts)', sql: `SELECT id, payload FROM oidc_models WHERE model = 'Grant' AND payload ->> 'accountId' = $1 AND payload ->> 'clientId' = $2 AND (expires_at IS NULL OR expires_at > now()) ORDER BY expires_at DESC NULLS FIRST LIMIT 1`, params: [sub, clientId] },
    { name: 'tokens of a grant (revocation)', sql: 'DELETE FROM oidc_models WHERE grant_id = $1 AND model = $2', params: ['gen-grant-none', 'AccessToken'] },
    { name: 'account by ID number (blind index)', sql: 'SELECT sub FROM accounts WHERE pid_index = $1', params: [h('gen-pid-1')] },
    { name: 'account by sub', sql: 'SELECT sub, given_name_th FROM accounts WHERE sub = $1', params: [sub] },
    { name: 'earlier logins of a person (src/idp/login/device.ts)', sql: EARLIER_LOGINS_SQL, params: [sub, EARLIER_LOGINS_SEEN, 'Chrome', 'Windows'] },
    { name: 'audit chain head (trigger)', sql: 'SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1', params: [] },
    { name: 'client-auth rate limit', sql: 'SELECT hits, window_start FROM rate_limits r WHERE key = $1', params: [h('gen-address')] },
    { name: 'client-auth rate limit with the client (HTTP Basic, src/idp/oidc/client_auth_limit.ts)', sql: `SELECT l.hits AS rl_hits, l.window_start AS rl_window_start, o.* FROM (SELECT 1 AS rl_one) one
         LEFT JOIN (SELECT hits, window_start FROM rate_limits r WHERE key = $1 AND NOT (r.window_start <= $2::timestamptz - make_interval(secs => $3::int))) l ON true
         LEFT JOIN LATERAL (SELECT payload AS client_payload FROM oidc_models WHERE model = 'Client' AND id = $4 AND (expires_at IS NULL OR expires_at > now()) LIMIT 1) o ON true`, params: [h('gen-address'), new Date(), 60, clientId] },
    { name: 'login throttle', sql: 'SELECT failures, pending, last_failure_at, pending_since, locked_until FROM login_throttle WHERE key = $1', params: [h('gen-key')] },
    { name: 'login progress', sql: 'SELECT sub, factors, sms_otp_id FROM login_progress WHERE uid = $1 AND expires_at > now()', params: ['gen-uid-1'] },
    { name: 'approved evidence (ial)', sql: 'SELECT id FROM evidence WHERE sub = $1 AND revoked_at IS NULL', params: [sub] },
    { name: "a person's evidence, revoked too (their data export)", sql: 'SELECT method FROM evidence WHERE sub = $1 ORDER BY created_at, id', params: [sub] },
    { name: "a verifier's own decisions (src/idp/proofing/evidence.ts decisionsBy)", sql: 'SELECT created_at, method, checks FROM evidence WHERE verifier_sub = $1 ORDER BY created_at DESC LIMIT $2', params: [sub, 50] },
    { name: 'TOTP of a person', sql: 'SELECT confirmed_at FROM totp_authenticators WHERE sub = $1', params: [sub] },
    { name: 'passkeys of a person', sql: 'SELECT id FROM passkeys WHERE sub = $1', params: [sub] },
    { name: 'sweeper: expired oidc_models', sql: 'SELECT ctid FROM oidc_models WHERE expires_at < now() LIMIT $1', params: [5000] },
  ];
}

/** The plan of a statement, as text lines. */
export const explain = (q: HotQuery, analyze = false) => ({ sql: `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}COSTS OFF) ${q.sql}`, params: q.params });
