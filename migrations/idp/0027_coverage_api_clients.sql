-- Which OIDC clients may read the coverage API (docs/coverage.md, "JSON API"): province NULL sees every
-- area, a 2-digit province code only that province. Granted and revoked by the operator (mpid coverage
-- client allow / revoke), audited; no row, no coverage token.
CREATE TABLE coverage_api_clients (
  client_id text PRIMARY KEY,
  province text CHECK (province ~ '^\d{2}$'),
  reason text NOT NULL,
  granted_by text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now()
);
