// Fills a migrated PostgreSQL database with synthetic accounts in set-based statements (generate_series,
// no round trip per row): per account a password hash, a privacy consent, TOTP for 1 in 7, a passkey
// for 1 in 20, two consents (grants), a browser session for 3 in 10 (a tenth of them expired, for the
// sweeper), and four audit events (registration and three logins), chained in bulk exactly as the hash-chain
// trigger would chain them one at a time (appendChained below; `mpid audit verify` accepts the result).
// The ID numbers and phones are blind-index-shaped bytes and ciphertext-shaped text of the real sizes,
// not decryptable: benchmark logins use accounts made through the CLI beside them.
//   node bench/populate.ts postgres://… N      (adds accounts gen-<k> up to N)
import type { Database, Queryable } from '../src/kernel/db/index.ts';

// a real argon2id PHC string's shape and size (m=19 MiB, t=2, p=1)
const PHC = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$2ZFp0ZJb1x1d0H1hXvAq3m1hWbq1q6vYwZVQmQp1c8Q';

/**
 * Accounts gen-<from+1> … gen-<to>, in chunks (one transaction each), `parallel` chunks at a time on
 * as many connections (the audit events of one chunk at a time: the chain's lock); calls progress
 * with the accounts written so far after each chunk. Chunks may commit out of order: an interrupted
 * fill is started again on an empty database.
 */
export async function populate(db: Database, from: number, to: number, progress?: (done: number) => void, chunk = 100_000, parallel = 2): Promise<void> {
  let next = from + 1;
  let done = from;
  const worker = async () => {
    for (let lo = next; lo <= to; lo = next) {
      const hi = Math.min(to, lo + chunk - 1);
      next = hi + 1;
      await fill(db, lo, hi);
      done += hi - lo + 1;
      progress?.(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function fill(db: Database, lo: number, hi: number): Promise<void> {
  await db.tx(async (q) => {
    const range = [lo, hi];
    await q.query(
      `INSERT INTO accounts (sub, pid_index, pid_cipher, title_th, given_name_th, family_name_th, given_name_en, family_name_en,
                             birthdate, phone_cipher, phone_index, phone_verified, password_hash, created_at)
       SELECT 'gen-' || i, sha256(convert_to('gen-pid-' || i, 'UTF8')),
              encode(sha256(convert_to('c' || i, 'UTF8')) || sha256(convert_to('d' || i, 'UTF8')), 'base64'),
              'นาง', 'สมหญิง' || (i % 1000), 'รักษ์สุขภาพ' || (i % 5000), 'Somying', 'Raksukkhaphap',
              date '1940-01-01' + (i % 29000), encode(sha256(convert_to('p' || i, 'UTF8')), 'base64'),
              sha256(convert_to('gen-phone-' || i, 'UTF8')), true, $3, now() - make_interval(days => i % 700)
       FROM generate_series($1::int, $2::int) i`,
      [...range, PHC],
    );
    await q.query(`INSERT INTO privacy_consents (sub, version) SELECT 'gen-' || i, '2026-01' FROM generate_series($1::int, $2::int) i`, range);
    await q.query(
      `INSERT INTO totp_authenticators (sub, secret_cipher, confirmed_at) SELECT 'gen-' || i, encode(sha256(convert_to('t' || i, 'UTF8')), 'base64'), now()
       FROM generate_series($1::int, $2::int) i WHERE i % 7 = 0`,
      range,
    );
    await q.query(
      `INSERT INTO passkeys (id, sub, public_key, device_type, backed_up, name)
       SELECT 'gen-pk-' || i, 'gen-' || i, sha256(convert_to('k' || i, 'UTF8')) || sha256(convert_to('l' || i, 'UTF8')) || sha256(convert_to('m' || i, 'UTF8')), 'multiDevice', true, 'Chrome on Android'
       FROM generate_series($1::int, $2::int) i WHERE i % 20 = 0`,
      range,
    );
    // two consents each, to one of 50 relying parties and to the national one (gen-client-1)
    await q.query(
      `INSERT INTO oidc_models (model, id, payload, expires_at)
       SELECT 'Grant', 'gen-grant-' || i || '-' || g,
              jsonb_build_object('kind', 'Grant', 'jti', 'gen-grant-' || i || '-' || g, 'accountId', 'gen-' || i,
                'clientId', CASE WHEN g = 'a' THEN 'gen-client-1' ELSE 'gen-client-' || (2 + i % 49) END,
                'openid', jsonb_build_object('scope', 'openid profile phone'), 'iat', extract(epoch FROM now())::int,
                'exp', extract(epoch FROM now() + interval '30 days')::int),
              now() + interval '30 days'
       FROM generate_series($1::int, $2::int) i, (VALUES ('a'), ('b')) AS v(g)`,
      range,
    );
    await q.query(
      `INSERT INTO oidc_models (model, id, payload, uid, expires_at)
       SELECT 'Session', 'gen-session-' || i,
              jsonb_build_object('kind', 'Session', 'jti', 'gen-session-' || i, 'uid', 'gen-uid-' || i, 'accountId', 'gen-' || i,
                'acr', 'urn:th:etda:aal:1', 'amr', jsonb_build_array('pwd'), 'loginTs', extract(epoch FROM now())::int,
                'authorizations', jsonb_build_object('gen-client-1', jsonb_build_object('sid', md5(i::text), 'grantId', 'gen-grant-' || i || '-a'))),
              'gen-uid-' || i,
              CASE WHEN i % 100 < 3 THEN now() - interval '1 minute' ELSE now() + interval '30 minutes' END
       FROM generate_series($1::int, $2::int) i WHERE i % 10 < 3`,
      range,
    );
    await appendChained(q, lo, hi);
  });
}

/**
 * The four audit events of accounts gen-<lo> … gen-<hi>, chained exactly as the trigger
 * audit_events_chain (migration 0008) chains them one insert at a time — under its advisory lock,
 * ids from the table's sequence in order, seq following the chain's head, prev_hash the previous
 * event's hash, hash = audit_event_hash(…) — but computed in one PL/pgSQL loop and written in one
 * INSERT, with the trigger disabled for this transaction only (ALTER TABLE is transactional and
 * holds the table against other writers until commit). With the trigger (a PL/pgSQL call, the head
 * lookup and the lock per row) the audit events were 60 % of the fill; `mpid audit verify` accepts
 * the chain written here.
 */
async function appendChained(q: Queryable, lo: number, hi: number): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(74289015)');
  await q.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain');
  await q.query(`SELECT set_config('mpid_bench.lo', $1, true), set_config('mpid_bench.hi', $2, true)`, [String(lo), String(hi)]);
  await q.query(`DO $$
    DECLARE
      r record;
      head bigint;
      h bytea;
      id bigint;
      n int := 0;
      ids bigint[] := '{}'; ats timestamptz[] := '{}'; subs text[] := '{}'; actions text[] := '{}'; addresses text[] := '{}'; details jsonb[] := '{}';
      prevs bytea[] := '{}'; hashes bytea[] := '{}';
    BEGIN
      SELECT seq, hash INTO head, h FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
      -- j = 4 i + e: account i's events e = 0 … 3 in order, without a sort
      FOR r IN
        SELECT now() - make_interval(days => (i + e) % 700) AS at, 'gen-' || i AS sub,
               CASE WHEN e = 0 THEN 'account.registered' ELSE 'login.succeeded' END AS action, '10.' || (i % 250) || '.0.1' AS address,
               CASE WHEN e = 0 THEN '{}'::jsonb ELSE jsonb_build_object('client_id', 'gen-client-1', 'acr', 'urn:th:etda:aal:1', 'amr', jsonb_build_array('pwd'),
                 'ts', extract(epoch FROM now())::int - (i + e) % 700 * 86400, 'device', jsonb_build_object('browser', 'Chrome', 'system', 'Android')) END AS detail
        FROM generate_series(current_setting('mpid_bench.lo')::int * 4, current_setting('mpid_bench.hi')::int * 4 + 3) j, LATERAL (SELECT j / 4 AS i, j % 4 AS e) x
      LOOP
        n := n + 1;
        id := nextval(pg_get_serial_sequence('audit_events', 'id'));
        ids[n] := id; ats[n] := r.at; subs[n] := r.sub; actions[n] := r.action; addresses[n] := r.address; details[n] := r.detail;
        prevs[n] := h;
        h := audit_event_hash(h, id, r.at, r.sub, r.action, r.sub, r.address, r.detail);
        hashes[n] := h;
      END LOOP;
      INSERT INTO audit_events (id, at, actor, action, subject, client_address, detail, seq, prev_hash, hash)
      SELECT u.id, u.at, u.sub, u.action, u.sub, u.address, u.detail, coalesce(head, 0) + u.k, u.prev, u.hash
      FROM unnest(ids, ats, subs, actions, addresses, details, prevs, hashes) WITH ORDINALITY AS u(id, at, sub, action, address, detail, prev, hash, k);
    END $$`);
  await q.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_chain');
}

export async function accountCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*) AS n FROM accounts WHERE sub LIKE 'gen-%'`);
  return rows[0]!.n;
}

if (import.meta.main) {
  const { openPostgres } = await import('../src/kernel/db/index.ts');
  const { migrate } = await import('../src/kernel/db/migrate.ts');
  const [url, n] = process.argv.slice(2);
  if (!url || !n) throw new Error('usage: node bench/populate.ts postgres://… N');
  const db = openPostgres(url, 2);
  await migrate(db);
  const have = await accountCount(db);
  const t0 = performance.now();
  await populate(db, have, Number(n), (done) => console.log(`${done} accounts, ${((performance.now() - t0) / 1000).toFixed(0)} s`));
  await db.close();
}
