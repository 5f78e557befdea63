-- Digital ID coverage (MOPH indicator 54). Areas: provinces (2-digit code), districts (4) and
-- sub-districts (6), names in Thai and English. Denominators: citizens per sub-district from the
-- population register's counts, personnel per unit and employment type from the HR register. Numerators
-- are kept incrementally: a change to a person is noted in coverage_pending (in the transaction of the
-- change), the refresher recomputes that person into coverage_members and moves coverage_counts by the
-- difference, so no page ever scans accounts. coverage_snapshots keep one row per area and day.
CREATE TABLE coverage_areas (
  code text PRIMARY KEY CHECK (code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$'),
  level smallint NOT NULL CHECK (level IN (1, 2, 3)),
  parent text REFERENCES coverage_areas (code),
  name_th text NOT NULL,
  name_en text NOT NULL,
  CHECK ((level = 1) = (parent IS NULL)),
  CHECK (length(code) = level * 2)
);
CREATE INDEX coverage_areas_parent ON coverage_areas (parent);
CREATE INDEX coverage_areas_name ON coverage_areas (level, name_th);

-- B2: citizens of all schemes per sub-district, as of a date
CREATE TABLE coverage_population (
  subdistrict text PRIMARY KEY REFERENCES coverage_areas (code),
  citizens bigint NOT NULL CHECK (citizens >= 0),
  as_of date NOT NULL
);

-- B1: personnel per unit and employment type (daily and contract hires are kept but not counted)
CREATE TABLE coverage_personnel (
  hcode text NOT NULL CHECK (hcode ~ '^[0-9]{5}$'),
  employment_type text NOT NULL,
  headcount integer NOT NULL CHECK (headcount >= 0),
  counted boolean NOT NULL,
  as_of date NOT NULL,
  -- the unit's district in coverage_areas, resolved from the unit register when imported
  district text,
  PRIMARY KEY (hcode, employment_type)
);
CREATE INDEX coverage_personnel_district ON coverage_personnel (district);

-- people whose coverage must be recomputed; version grows with every change noted while one waits
CREATE TABLE coverage_pending (
  sub text PRIMARY KEY,
  version integer NOT NULL DEFAULT 1,
  noted_at timestamptz NOT NULL DEFAULT now()
);

-- what each person counts for now (no foreign key: a deleted account's row is what is subtracted)
CREATE TABLE coverage_members (
  sub text PRIMARY KEY,
  residence text,
  residence_known boolean NOT NULL DEFAULT false,
  citizen_did boolean NOT NULL DEFAULT false,
  personnel_district text,
  personnel_did boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A: people with a digital ID per area (citizens per sub-district, personnel per district)
CREATE TABLE coverage_counts (
  area text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('citizen', 'personnel')),
  with_did bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (area, kind)
);

-- the daily history of the trend chart: every province and the country ('TH'), one row a day
CREATE TABLE coverage_snapshots (
  day date NOT NULL,
  area text NOT NULL,
  citizens bigint NOT NULL,
  citizens_did bigint NOT NULL,
  personnel bigint NOT NULL,
  personnel_did bigint NOT NULL,
  PRIMARY KEY (area, day)
);

-- Roles for coverage: coverage_viewer (the ministry: every area) and province_officer (one province).
ALTER TABLE unit_roles ADD COLUMN province text;
ALTER TABLE unit_roles DROP CONSTRAINT unit_roles_role_check;
ALTER TABLE unit_roles DROP CONSTRAINT unit_roles_check;
ALTER TABLE unit_roles ADD CONSTRAINT unit_roles_role_check CHECK (role IN ('admin', 'unit_admin', 'verifier', 'coverage_viewer', 'province_officer'));
ALTER TABLE unit_roles ADD CONSTRAINT unit_roles_scope_check CHECK (
  (role IN ('unit_admin', 'verifier')) = (hcode IS NOT NULL) AND (role = 'province_officer') = (province IS NOT NULL)
);
DROP INDEX unit_roles_active;
CREATE UNIQUE INDEX unit_roles_active ON unit_roles (sub, role, coalesce(hcode, ''), coalesce(province, '')) WHERE withdrawn_at IS NULL;

-- the accounts that exist already are counted by the first rounds of the refresher
INSERT INTO coverage_pending (sub) SELECT sub FROM accounts;
