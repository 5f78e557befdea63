-- The Authen Code service's own tables, in its own schema: it shares no table with the IdP and knows
-- people only through the IdP's tokens. National ID numbers and phone numbers are stored encrypted,
-- with a keyed blind index for exact lookups.

-- Claim (service) types: the codes hospital systems send, with the days each may be used.
CREATE TABLE authencode.claim_types (
  code text PRIMARY KEY CHECK (code ~ '^PG[0-9]{7}$'),
  name_th text NOT NULL,
  name_en text NOT NULL,
  -- first two letters of the Authen Codes it issues (service category)
  prefix text NOT NULL CHECK (prefix ~ '^[A-Z]{2}$'),
  valid_from date NOT NULL,
  -- last day it may be confirmed; NULL while it is current
  valid_until date,
  sort integer NOT NULL
);
INSERT INTO authencode.claim_types (code, name_th, name_en, prefix, valid_from, valid_until, sort) VALUES
  ('PG0060001', 'เข้ารับบริการรักษาทั่วไป (OPD/ IPD/ PP)', 'General treatment (OPD/IPD/PP)', 'PP', '2019-01-01', NULL, 1),
  ('PG0110001', 'Self Isolation', 'Self isolation', 'SI', '2022-01-01', NULL, 2),
  ('PG0120001', 'UCEP PLUS (ผู้ป่วยกลุ่มอาการสีเหลืองและสีแดง)', 'UCEP PLUS (yellow and red emergency patients)', 'EP', '2022-03-16', NULL, 3),
  ('PG0130001', 'บริการฟอกเลือดด้วยเครื่องไตเทียม (HD)', 'Haemodialysis (HD)', 'HD', '2022-01-01', NULL, 4),
  ('PG0140001', 'บริการเจ็บป่วยเล็กน้อย (Common illnesses)', 'Common illnesses', 'CI', '2023-02-01', NULL, 5),
  ('PG0090001', 'Home Isolation', 'Home isolation', 'HI', '2021-07-01', '2022-09-30', 6),
  ('PG0080001', 'Community Isolation', 'Community isolation', 'CO', '2021-07-01', '2022-09-30', 7);

-- Service units, imported from the unit register's CSV (the same format as the IdP's).
CREATE TABLE authencode.units (
  hcode text PRIMARY KEY CHECK (hcode ~ '^[0-9]{5}$'),
  name_th text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  unit_type text NOT NULL DEFAULT '',
  province text NOT NULL DEFAULT '',
  district text NOT NULL DEFAULT '',
  subdistrict text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One visit of one person at one unit for one claim type: a draft until it is confirmed, when it
-- gets its Authen Code. Cancelling keeps the row (soft delete) with who, when and why.
CREATE TABLE authencode.visits (
  id uuid PRIMARY KEY,
  pid_index bytea NOT NULL,
  pid_sealed text NOT NULL,
  hcode text NOT NULL REFERENCES authencode.units (hcode),
  claim_type text NOT NULL REFERENCES authencode.claim_types (code),
  service_at timestamptz NOT NULL,
  -- the day of service in Thailand (UTC+7): the one-code-per-day rule counts these days
  service_day date NOT NULL,
  hn text,
  mobile_sealed text,
  -- how the person was confirmed: card (agent document), photo (with the card), certification,
  -- vouch (a citizen confirming for a family member), self (a citizen's own digital ID), his (an information system)
  method text NOT NULL CHECK (method IN ('card', 'photo', 'certification', 'vouch', 'self', 'his')),
  -- what backs the method (agent id and jti, photo digest, certifier with relationship and reason);
  -- the certifier's ID number inside is sealed
  evidence jsonb NOT NULL DEFAULT '{}',
  correlation_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'confirmed', 'cancelled')),
  claim_code text UNIQUE,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by text,
  cancel_reason text,
  CHECK ((status = 'draft' AND claim_code IS NULL) OR (status <> 'draft' AND claim_code IS NOT NULL))
);
CREATE UNIQUE INDEX visits_one_code_per_day ON authencode.visits (pid_index, hcode, claim_type, service_day) WHERE status = 'confirmed';
CREATE INDEX visits_person ON authencode.visits (pid_index, confirmed_at DESC);
CREATE INDEX visits_unit_day ON authencode.visits (hcode, service_day);
CREATE INDEX visits_correlation ON authencode.visits (correlation_id);
-- a citizen's own confirmations of a day (the limit on vouching for others)
CREATE INDEX visits_creator_day ON authencode.visits (created_by, service_day);

-- Append-only record of every change to a visit and every sign-in of staff.
CREATE TABLE authencode.audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  visit_id uuid,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_visit ON authencode.audit_events (visit_id);

-- Card reader agents at units (the same card-read documents the IdP's verifiers use, keys registered here).
CREATE TABLE authencode.card_agents (
  id text PRIMARY KEY,
  hcode text NOT NULL REFERENCES authencode.units (hcode),
  public_jwk jsonb NOT NULL,
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE TABLE authencode.card_read_uses (
  jti text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Browser sessions of the web pages (citizen and staff), after an OIDC login at the IdP.
CREATE TABLE authencode.web_sessions (
  id_hash bytea PRIMARY KEY,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_expires ON authencode.web_sessions (expires_at);

-- Photos of patients with their ID card (staff confirmation by photo), sealed, named by their digest;
-- a visit's evidence refers to its photo by that digest.
CREATE TABLE authencode.evidence_photos (
  sha256 text PRIMARY KEY,
  sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_photo ON authencode.visits ((evidence->>'photo_sha256')) WHERE method = 'photo';
