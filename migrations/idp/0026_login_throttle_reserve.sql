-- The login throttle reserves an attempt for the address and then for the account, and gives the
-- address's back when the account refuses: one function, so a login's check is one round trip instead
-- of two (docs/benchmarks.md), and the pair is atomic. Pending attempts count like failures; refused
-- while locked, at the lock's count, or (the account only) inside the back-off; a refused reservation
-- changes nothing (src/idp/login/throttle.ts). Returns 'ok', 'address' or 'account'.
CREATE FUNCTION login_throttle_reserve(addr bytea, acct bytea, at timestamptz, window_seconds int,
                                       addr_lock_after int, acct_lock_after int, backoff_after int)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  win interval := make_interval(secs => window_seconds);
  done int;
BEGIN
  FOR i IN 1..2 LOOP
    INSERT INTO login_throttle AS t (key, failures, last_failure_at, pending, pending_since)
      VALUES (CASE WHEN i = 1 THEN addr ELSE acct END, 0, at, 1, at)
    ON CONFLICT (key) DO UPDATE SET
      failures = (CASE WHEN t.last_failure_at <= at - win THEN 0 ELSE t.failures END),
      pending = (CASE WHEN t.pending_since IS NULL OR t.pending_since <= at - win THEN 0 ELSE t.pending END) + 1,
      pending_since = at
    WHERE NOT (t.locked_until IS NOT NULL AND t.locked_until > at)
      AND (CASE WHEN t.last_failure_at <= at - win THEN 0 ELSE t.failures END)
        + (CASE WHEN t.pending_since IS NULL OR t.pending_since <= at - win THEN 0 ELSE t.pending END)
        < (CASE WHEN i = 1 THEN addr_lock_after ELSE acct_lock_after END)
      AND (i = 1 OR backoff_after IS NULL
           OR (CASE WHEN t.last_failure_at <= at - win THEN 0 ELSE t.failures END)
            + (CASE WHEN t.pending_since IS NULL OR t.pending_since <= at - win THEN 0 ELSE t.pending END) < backoff_after
           OR at >= greatest(t.last_failure_at, t.pending_since) + make_interval(secs => least(power(2,
                (CASE WHEN t.last_failure_at <= at - win THEN 0 ELSE t.failures END)
              + (CASE WHEN t.pending_since IS NULL OR t.pending_since <= at - win THEN 0 ELSE t.pending END) - backoff_after), 300)));
    GET DIAGNOSTICS done = ROW_COUNT;
    IF done = 0 THEN
      IF i = 2 THEN
        UPDATE login_throttle SET pending = greatest(pending - 1, 0) WHERE key = addr;
        RETURN 'account';
      END IF;
      RETURN 'address';
    END IF;
  END LOOP;
  RETURN 'ok';
END
$$;
