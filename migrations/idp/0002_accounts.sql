-- Accounts. The national ID number is personal data: only its keyed HMAC (blind index, for exact
-- lookups and uniqueness) and its AES-256-GCM ciphertext are stored. sub is random.
CREATE TABLE accounts (
  sub text PRIMARY KEY,
  pid_index bytea NOT NULL UNIQUE,
  pid_cipher text NOT NULL,
  title_th text,
  given_name_th text NOT NULL,
  family_name_th text NOT NULL,
  given_name_en text,
  family_name_en text,
  birthdate date NOT NULL,
  phone_cipher text,
  phone_index bytea,
  phone_verified boolean NOT NULL DEFAULT false,
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_phone_index ON accounts (phone_index) WHERE phone_index IS NOT NULL;

-- Failed-login counters, shared by every server process (key: account or client address, hashed).
CREATE TABLE login_throttle (
  key bytea PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- Append-only audit events.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text,
  action text NOT NULL,
  subject text,
  client_address text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_subject ON audit_events (subject, at);
CREATE INDEX audit_events_actor ON audit_events (actor, at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
