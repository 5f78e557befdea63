-- The health personnel register (imported with `mpid personnel import`): one row per person, keyed by
-- the blind index of the ID number (the same as accounts use), with a stable provider_id; one row per
-- person and service unit for the position held there.
CREATE TABLE personnel_people (
  pid_index bytea PRIMARY KEY,
  pid_cipher text NOT NULL,
  provider_id text NOT NULL UNIQUE,
  title_th text,
  given_name_th text NOT NULL,
  family_name_th text NOT NULL,
  given_name_en text,
  family_name_en text,
  birthdate date NOT NULL,
  license_id text,
  license_expired_date date,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE personnel_positions (
  pid_index bytea NOT NULL REFERENCES personnel_people (pid_index) ON DELETE CASCADE,
  hcode text NOT NULL CHECK (hcode ~ '^[0-9]{5}$'),
  hname_th text NOT NULL,
  position text NOT NULL,
  employment_type text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (pid_index, hcode)
);

-- An account linked to its personnel record (after matching ID number, names and birth date).
CREATE TABLE personnel_links (
  sub text PRIMARY KEY REFERENCES accounts (sub) ON DELETE CASCADE,
  pid_index bytea NOT NULL UNIQUE REFERENCES personnel_people (pid_index),
  linked_at timestamptz NOT NULL DEFAULT now()
);
