-- The live meeting (GOV-3): a meeting in session has a current agenda item,
-- a check-in code that changes every 30 s (derived from its secret), members'
-- requests for the floor and the speeches given — the facts the minutes are
-- written from.
ALTER TABLE meetings ADD COLUMN checkin_secret TEXT;
ALTER TABLE meetings ADD COLUMN opened_at BIGINT;
ALTER TABLE meetings ADD COLUMN closed_at BIGINT;
ALTER TABLE meetings ADD COLUMN current_item_id BIGINT REFERENCES agenda_items(id);

CREATE TABLE floor_requests (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  item_id BIGINT NOT NULL REFERENCES agenda_items(id),
  member_id BIGINT NOT NULL REFERENCES council_members(id),
  side TEXT NOT NULL CHECK (side IN ('pro','con','neutral')),
  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','granted','withdrawn')),
  requested_at BIGINT NOT NULL
);
CREATE INDEX floor_requests_item ON floor_requests(item_id, status, id);

CREATE TABLE speeches (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  item_id BIGINT NOT NULL REFERENCES agenda_items(id),
  member_id BIGINT NOT NULL REFERENCES council_members(id),
  side TEXT NOT NULL CHECK (side IN ('pro','con','neutral')),
  request_id BIGINT REFERENCES floor_requests(id),
  started_at BIGINT NOT NULL,
  limit_ms BIGINT NOT NULL,         -- the time allowed, extensions included
  extensions INTEGER NOT NULL DEFAULT 0,
  ended_at BIGINT,
  override_reason TEXT,             -- the chair gave the floor out of the rules' order, and why
  granted_by BIGINT REFERENCES users(id)
);
CREATE INDEX speeches_item ON speeches(item_id, id);
-- One speech at a time in a meeting.
CREATE UNIQUE INDEX speeches_one_open ON speeches(meeting_id) WHERE ended_at IS NULL;
