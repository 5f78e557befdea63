-- A photo a visit refers to is marked kept once the sweeper has seen the reference (visits are never
-- deleted), so each sweep reads only the photos it has not yet decided on, not every photo ever kept.
ALTER TABLE authencode.evidence_photos ADD COLUMN kept boolean NOT NULL DEFAULT false;
CREATE INDEX evidence_photos_undecided ON authencode.evidence_photos (created_at) WHERE NOT kept;
