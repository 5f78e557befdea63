-- The service-unit register (hospitals, health centres …), keyed by the 5-digit hcode; a unit can be
-- made a Digital ID service point by an administrator.
CREATE TABLE service_units (
  hcode text PRIMARY KEY CHECK (hcode ~ '^[0-9]{5}$'),
  name_th text NOT NULL,
  name_en text,
  unit_type text NOT NULL,
  province text NOT NULL,
  district text NOT NULL,
  subdistrict text NOT NULL,
  service_point boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_units_province ON service_units (province) WHERE service_point;

-- Roles: admin (everywhere: hcode is null), unit_admin and verifier (at one unit). Granted and
-- withdrawn with a reason; rows are never deleted, so the history stays.
CREATE TABLE unit_roles (
  id bigserial PRIMARY KEY,
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'unit_admin', 'verifier')),
  hcode text REFERENCES service_units (hcode),
  granted_by text NOT NULL,
  grant_reason text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_by text,
  withdraw_reason text,
  withdrawn_at timestamptz,
  CHECK ((role = 'admin') = (hcode IS NULL))
);
CREATE UNIQUE INDEX unit_roles_active ON unit_roles (sub, role, coalesce(hcode, '')) WHERE withdrawn_at IS NULL;
