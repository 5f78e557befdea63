-- Challenges for card reads: the verifier console issues one with each in-person form it shows; the
-- unit's agent signs it into the card-read document, which is accepted only with a live challenge of
-- the same unit and verifier, and uses it up. Only the nonce's SHA-256 is kept.
CREATE TABLE card_read_challenges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  nonce_hash bytea NOT NULL UNIQUE,
  hcode text NOT NULL,
  actor text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX card_read_challenges_actor ON card_read_challenges (actor, id);
CREATE INDEX card_read_challenges_expires ON card_read_challenges (expires_at);
