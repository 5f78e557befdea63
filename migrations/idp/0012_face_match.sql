-- The automated face comparison of a photo submission (0 … 1), when a face matcher is configured.
ALTER TABLE photo_submissions ADD COLUMN face_score real;
