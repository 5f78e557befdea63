-- Remote proofing by photo: a face-with-card photo and a card-front photo (re-encoded, metadata
-- stripped, encrypted) wait in the review queue of the unit the person chose (or any unit) for a
-- verifier's decision with a reason.
CREATE TABLE photo_submissions (
  id bigserial PRIMARY KEY,
  sub text NOT NULL REFERENCES accounts (sub) ON DELETE CASCADE,
  face_with_card_cipher text NOT NULL,
  card_front_cipher text NOT NULL,
  unit_hcode text REFERENCES service_units (hcode),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by text,
  decided_at timestamptz,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photo_submissions_queue ON photo_submissions (unit_hcode, created_at) WHERE status = 'pending';
CREATE INDEX photo_submissions_sub ON photo_submissions (sub, created_at);
