-- Notice preferences and the daily digest (PRODUCT §8). Every notice is in
-- the inbox; a kind a user chose to have "in the digest" arrives quietly
-- (not counted as unread, not pushed) and is gathered, with the day's other
-- quiet ones, into one digest notice at the end of the day.
CREATE TABLE notification_prefs (
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('immediate','digest')),
  PRIMARY KEY (user_id, kind)
);

ALTER TABLE notifications ADD COLUMN quiet INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN digest_id BIGINT;   -- the digest notice that gathered it
ALTER TABLE notifications ADD COLUMN path TEXT;          -- the place it is about
CREATE INDEX notifications_quiet ON notifications(quiet, digest_id, user_id);

-- One digest a day, whichever process runs it: the day (Beijing) is the key.
CREATE TABLE digest_runs (
  day TEXT PRIMARY KEY,            -- 2026-12-07
  ran_at BIGINT NOT NULL,
  users INTEGER NOT NULL
);
