-- Card reader agents paired at the unit administrator's page: the agent's name and version, who paired
-- it, when it last got a token, and who revoked it. A pairing code is stored as a keyed hash only,
-- lives 10 minutes and is used once (used_at and the agent it paired are kept).
ALTER TABLE card_agents ADD COLUMN name text;
ALTER TABLE card_agents ADD COLUMN version text;
ALTER TABLE card_agents ADD COLUMN last_seen_at timestamptz;
ALTER TABLE card_agents ADD COLUMN revoked_by text;
CREATE INDEX card_agents_unit ON card_agents (hcode, registered_at DESC);

CREATE TABLE card_agent_pairing_codes (
  code_hash bytea PRIMARY KEY,
  hcode text NOT NULL REFERENCES service_units (hcode),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  agent_id text REFERENCES card_agents (id)
);
CREATE INDEX card_agent_pairing_codes_expires ON card_agent_pairing_codes (expires_at);
