-- Challenges for card reads: the staff page issues one with each confirm form it shows; the unit's
-- agent signs it into the card-read document, which is accepted only with a live challenge of the same
-- unit and member of staff, and uses it up. Only the nonce's SHA-256 is kept.
CREATE TABLE authencode.card_read_challenges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  nonce_hash bytea NOT NULL UNIQUE,
  hcode text NOT NULL,
  actor text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX card_read_challenges_actor ON authencode.card_read_challenges (actor, id);
CREATE INDEX card_read_challenges_expires ON authencode.card_read_challenges (expires_at);
