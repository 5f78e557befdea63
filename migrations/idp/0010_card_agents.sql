-- Card reader agents at service units: each signs its card-read documents (JWS) with its own key,
-- registered here. A document is accepted once (its jti is remembered until it expires).
CREATE TABLE card_agents (
  id text PRIMARY KEY,
  hcode text NOT NULL REFERENCES service_units (hcode),
  public_jwk jsonb NOT NULL,
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE card_read_uses (
  jti text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX card_read_uses_expires ON card_read_uses (expires_at);
