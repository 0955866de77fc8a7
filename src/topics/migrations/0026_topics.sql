-- Topics (议题, GOV-4): raised by residents and partners on a place, supported
-- once per person, reviewed by the community's staff (onto a council's
-- agenda, merged into another, or declined with a reason), decided in a
-- meeting or by an owners' vote, and followed until done.
CREATE TABLE topics (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,                 -- the place's: who reaches it
  grid_path TEXT,                     -- the grid governing it (a building's)
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  photos TEXT NOT NULL DEFAULT '[]',  -- JSON array of photo ids (photo_subjects says who sees them)
  raised_by BIGINT NOT NULL REFERENCES users(id),
  org_id BIGINT REFERENCES orgs(id),  -- raised for a partner, by its administrator
  status TEXT NOT NULL CHECK (status IN ('raised','accepted','merged','declined','decided','rejected','done')),
  supports BIGINT NOT NULL DEFAULT 0, -- kept with topic_supports
  council_id BIGINT REFERENCES councils(id),
  meeting_id BIGINT REFERENCES meetings(id),
  agenda_item_id BIGINT REFERENCES agenda_items(id),
  merged_into BIGINT REFERENCES topics(id),
  reason TEXT,                        -- why declined or merged: the raiser sees it
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  decision TEXT,
  decided_in_meeting BIGINT REFERENCES meetings(id),
  owner_vote_id BIGINT REFERENCES owner_votes(id),
  carrier TEXT,                       -- who carries the decision out, as shown
  carrier_org_id BIGINT REFERENCES orgs(id),
  decided_at BIGINT,
  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  done_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX topics_path ON topics(path, status, created_at);
CREATE INDEX topics_grid ON topics(grid_path);
CREATE INDEX topics_raiser ON topics(raised_by);

-- One support per person.
CREATE TABLE topic_supports (
  topic_id BIGINT NOT NULL REFERENCES topics(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (topic_id, user_id)
);
CREATE INDEX topic_supports_user ON topic_supports(user_id);

-- What happened to a topic, in order: its review, its decision, the progress
-- of carrying it out (with photos), its end.
CREATE TABLE topic_updates (
  id {{id}},
  topic_id BIGINT NOT NULL REFERENCES topics(id),
  kind TEXT NOT NULL CHECK (kind IN ('accepted','merged','declined','decided','rejected','progress','done')),
  text TEXT,
  progress INTEGER,
  photos TEXT NOT NULL DEFAULT '[]',
  user_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX topic_updates_topic ON topic_updates(topic_id, id);
