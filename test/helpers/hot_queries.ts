// The statements every token request and login runs (counted per request in docs/benchmarks.md), and
// the pages' lookups of one person's or one verifier's evidence, with parameters of the right types:
// test/idp/hot_queries.test.ts proves each has an index, bench/scale.ts
// prints their plans at 10 thousand and at millions of accounts. The SQL is copied from the module
// that owns the table; a changed statement there belongs here too.
import { createHash } from 'node:crypto';
import { EARLIER_LOGINS_SEEN, EARLIER_LOGINS_SQL } from '../../src/idp/login/device.ts';
import { AUDIT_PAGE_SQL } from '../../src/idp/admin/audit_log/index.ts';
import { ACTIVITY_SQL } from '../../src/kernel/audit/index.ts';
import { REMOVE_OIDC_RECORDS_SQL } from '../../src/idp/oidc/sessions.ts';
import { GRANT_COUNTS_SQL } from '../../src/idp/oidc/clients.ts';
import { FIND_INTERACTION_WITH_CLIENT, FIND_WITH_GRANT } from '../../src/idp/oidc/adapter.ts';
import { DELETION_REQUESTS_SQL } from '../../src/idp/account/index.ts';
import { DROP_UNREFERRED_PHOTOS_SQL, KEEP_REFERRED_PHOTOS_SQL } from '../../src/authencode/sweep.ts';

const h = (s: string) => createHash('sha256').update(s).digest();

export interface HotQuery {
  name: string;
  sql: string;
  params: unknown[];
  /** the index its plan must use (where walking another index from end to end would also avoid a Seq Scan) */
  index?: string;
}

export function hotQueries(sub = 'gen-1', clientId = 'gen-client-1'): HotQuery[] {
  return [
    { name: 'oidc_models by id (client, token, grant, interaction)', sql: 'SELECT payload, consumed_at FROM oidc_models WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())', params: ['Grant', 'gen-grant-1-a'] },
    { name: 'a token with its grant (src/idp/oidc/adapter.ts)', sql: FIND_WITH_GRANT, params: ['RefreshToken', 'gen-rt-1'] },
    { name: 'an interaction with its client (src/idp/oidc/adapter.ts)', sql: FIND_INTERACTION_WITH_CLIENT, params: ['Interaction', 'gen-interaction-1'] },
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
    { name: "sweeper: spent login throttles (src/idp/sweep.ts)", sql: "SELECT ctid FROM login_throttle WHERE last_failure_at < now() - interval '2 days' AND (pending_since IS NULL OR pending_since < now() - interval '2 days') AND (locked_until IS NULL OR locked_until < now()) LIMIT $1", params: [5000], index: 'login_throttle_last_failure' },
    { name: 'sweeper: spent rate-limit counters', sql: "SELECT ctid FROM rate_limits WHERE window_start < now() - interval '2 days' LIMIT $1", params: [5000], index: 'rate_limits_window' },
    { name: "coverage refresher's backlog, oldest first (src/idp/coverage/refresh.ts)", sql: 'SELECT sub FROM coverage_pending ORDER BY noted_at LIMIT $1', params: [1000], index: 'coverage_pending_noted' },
    { name: 'audit log by date (src/idp/admin/audit_log)', sql: AUDIT_PAGE_SQL, params: [null, null, null, null, null, '2026-11-01', '2026-11-30', 51], index: 'audit_events_at' },
    { name: 'audit log by service unit', sql: AUDIT_PAGE_SQL, params: [null, null, null, null, '10699', null, null, 51], index: 'audit_events_unit' },
    { name: "a person's deletion requests (privacy page, data export)", sql: 'SELECT requested_at, status, reason FROM deletion_requests WHERE sub = $1 ORDER BY requested_at', params: [sub], index: 'deletion_requests_sub' },
    { name: 'deletion requests, pending first, then the newest (src/idp/account deletionRequests)', sql: DELETION_REQUESTS_SQL, params: [null, 500], index: 'deletion_requests_status' },
    { name: 'deletion requests of one status', sql: DELETION_REQUESTS_SQL, params: ['done', 500], index: 'deletion_requests_status' },
    { name: "a person's recoveries (removed when a reset is done)", sql: 'DELETE FROM account_recoveries WHERE sub = $1', params: [sub], index: 'account_recoveries_sub' },
    { name: "a person's roles, withdrawn too (src/idp/units roleHistory)", sql: 'SELECT id FROM unit_roles WHERE sub = $1 ORDER BY granted_at DESC, id DESC LIMIT $2', params: [sub, 500], index: 'unit_roles_sub' },
    { name: "a unit's verifiers (src/idp/units verifiersAt)", sql: "SELECT sub, granted_at, grant_reason, withdrawn_at, withdraw_reason FROM unit_roles WHERE hcode = $1 AND role = 'verifier' ORDER BY granted_at DESC", params: ['10699'], index: 'unit_roles_unit' },
    { name: "a disabled client's codes and tokens (src/idp/oidc/clients.ts)", sql: "DELETE FROM oidc_models WHERE model IN ('AuthorizationCode', 'AccessToken', 'RefreshToken', 'ClientCredentials') AND payload ->> 'clientId' = $1", params: [clientId], index: 'oidc_models_client' },
    { name: "a person's activity, done by them or to them (src/kernel/audit activityOf)", sql: ACTIVITY_SQL, params: [sub, 100], index: 'audit_events_actor' },
    { name: "a deletion request's sessions, grants and the grants' tokens (src/idp/oidc/sessions.ts)", sql: REMOVE_OIDC_RECORDS_SQL, params: [sub], index: 'oidc_models_grant_id_model' },
    { name: 'people who granted relying parties access, counted up to a bound (src/idp/oidc/clients.ts)', sql: GRANT_COUNTS_SQL, params: [[clientId, 'gen-client-2'], 10_000] },
    { name: 'Authen Code sweeper: day-old photos found referred to', sql: KEEP_REFERRED_PHOTOS_SQL, params: [], index: 'evidence_photos_undecided' },
    { name: 'Authen Code sweeper: day-old photos no visit refers to', sql: DROP_UNREFERRED_PHOTOS_SQL, params: [], index: 'evidence_photos_undecided' },
    { name: "Authen Code: a unit's latest visits (staff search without a day)", sql: 'SELECT id FROM authencode.visits v WHERE v.hcode = $1 ORDER BY v.service_at DESC, v.id DESC LIMIT $2', params: ['10699', 200], index: 'visits_unit_recent' },
    { name: 'Authen Code sweeper: spent rate-limit counters', sql: "SELECT window_start FROM authencode.rate_limits WHERE window_start < now() - interval '2 days'", params: [], index: 'rate_limits_window' },
    { name: 'Authen Code sweeper: used card-read ids', sql: 'SELECT jti FROM authencode.card_read_uses WHERE expires_at < now()', params: [], index: 'card_read_uses_expires' },
  ];
}

/** The plan of a statement, as text lines. */
export const explain = (q: HotQuery, analyze = false) => ({ sql: `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}COSTS OFF) ${q.sql}`, params: q.params });
