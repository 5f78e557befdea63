-- Audit events are hash-chained: each event's hash covers its content and the previous event's hash,
-- in the order given by seq, so a changed, removed or inserted event breaks the chain at that point
-- (`mpid audit verify`). Writers take the chain one at a time (a transaction-scoped advisory lock).
ALTER TABLE audit_events ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

CREATE FUNCTION audit_event_hash(prev bytea, id bigint, at timestamptz, actor text, action text, subject text, client_address text, detail jsonb)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(convert_to(concat_ws('|', coalesce(encode(prev, 'hex'), ''), id::text,
    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), coalesce(actor, ''), action,
    coalesce(subject, ''), coalesce(client_address, ''), detail::text), 'UTF8'))
$$;

CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash bytea;
BEGIN
  PERFORM pg_advisory_xact_lock(74289015);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
  NEW.seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := last_hash;
  NEW.hash := audit_event_hash(last_hash, NEW.id, NEW.at, NEW.actor, NEW.action, NEW.subject, NEW.client_address, NEW.detail);
  RETURN NEW;
END $$;

-- events written before this migration join the chain in the order they were written
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
DO $$
DECLARE
  r record;
  n bigint := 0;
  h bytea := NULL;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
    n := n + 1;
    UPDATE audit_events SET seq = n, prev_hash = h,
      hash = audit_event_hash(h, r.id, r.at, r.actor, r.action, r.subject, r.client_address, r.detail)
    WHERE id = r.id RETURNING hash INTO h;
  END LOOP;
END $$;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);
