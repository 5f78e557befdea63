-- Everything oidc-provider stores (sessions, grants, codes, tokens, interactions, clients, …), one table
-- keyed by model name and id. Lookups by grant, uid and user code are indexed; expired rows are swept.
CREATE TABLE oidc_models (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  user_code text,
  uid text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_models_grant_id ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_models_expires_at ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;

-- Resource servers (RFC 8707 resource indicators) that receive JWT access tokens (RFC 9068).
CREATE TABLE resource_servers (
  identifier text PRIMARY KEY,
  scope text NOT NULL DEFAULT '',
  access_token_ttl integer NOT NULL DEFAULT 900 CHECK (access_token_ttl BETWEEN 60 AND 86400),
  signing_alg text NOT NULL DEFAULT 'ES256',
  created_at timestamptz NOT NULL DEFAULT now()
);
