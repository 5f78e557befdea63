-- The automated face comparison kept with a photo submission and, once a verifier confirms it, with
-- the evidence: score, threshold, model name and version, passive liveness scores (recorded, not a
-- gate) and the quality measured. JSON, since an external service may report less than the builtin one.
ALTER TABLE photo_submissions ADD COLUMN face_check jsonb;
ALTER TABLE evidence ADD COLUMN face_check jsonb;
