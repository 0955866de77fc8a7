-- The photos of a paper ballot or of a written proxy document (JSON array of
-- photo ids), seen by the staff who run the vote only: a secret vote's paper
-- shows how its owner voted.
ALTER TABLE owner_paper_entries ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';
