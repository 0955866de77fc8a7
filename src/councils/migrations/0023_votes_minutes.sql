-- Votes, violations, points of order and minutes (GOV-3): what the chair
-- records in session beside the floor, and the record made from all of it.

-- A vote on a motion: a show of hands the chair counts, or ballots on the
-- members' phones. A secret vote keeps who voted (meeting_ballots without a
-- choice) apart from how (only the counts here, added to as ballots come).
CREATE TABLE meeting_votes (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  item_id BIGINT NOT NULL REFERENCES agenda_items(id),
  method TEXT NOT NULL CHECK (method IN ('hands','phones')),
  secret INTEGER NOT NULL,          -- 0 or 1
  status TEXT NOT NULL CHECK (status IN ('open','closed')),
  pass TEXT NOT NULL,                -- the threshold of the rules it was taken under
  present BIGINT NOT NULL,           -- present when it opened, proxies counted
  members BIGINT NOT NULL,
  votes_for BIGINT NOT NULL DEFAULT 0,
  votes_against BIGINT NOT NULL DEFAULT 0,
  votes_abstain BIGINT NOT NULL DEFAULT 0,
  cast_count BIGINT NOT NULL DEFAULT 0,
  passed INTEGER,                    -- 0 or 1; NULL while open
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  opened_by BIGINT REFERENCES users(id)
);
CREATE INDEX meeting_votes_meeting ON meeting_votes(meeting_id, id);
-- One vote open at a time in a meeting.
CREATE UNIQUE INDEX meeting_votes_one_open ON meeting_votes(meeting_id) WHERE status = 'open';

CREATE TABLE meeting_ballots (
  vote_id BIGINT NOT NULL REFERENCES meeting_votes(id),
  member_id BIGINT NOT NULL REFERENCES council_members(id),
  choice TEXT CHECK (choice IN ('for','against','abstain')),  -- NULL in a secret vote
  weight BIGINT NOT NULL,            -- 1 and the absent members who named this one their proxy
  PRIMARY KEY (vote_id, member_id)
);

-- What the chair records that the software cannot see: a violation of one of
-- the ten rules against a member, or a point of order and its ruling.
CREATE TABLE meeting_records (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  item_id BIGINT REFERENCES agenda_items(id),
  kind TEXT NOT NULL CHECK (kind IN ('violation','point_of_order')),
  member_id BIGINT REFERENCES council_members(id),
  rule TEXT,
  note TEXT,
  ruling TEXT,
  at BIGINT NOT NULL,
  recorded_by BIGINT REFERENCES users(id)
);
CREATE INDEX meeting_records_meeting ON meeting_records(meeting_id, id);

-- The minutes (纪要): versions of one meeting's; a draft is edited, a signed
-- one is fixed with the record it was signed on (content), and a later change
-- is a new version.
CREATE TABLE meeting_minutes (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  version INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft','signed')),
  summary TEXT NOT NULL DEFAULT '',
  decisions TEXT NOT NULL DEFAULT '[]',  -- [{text, owner}]
  content TEXT,                          -- the record as signed (JSON); NULL while a draft
  edited_at BIGINT NOT NULL,
  edited_by BIGINT REFERENCES users(id),
  signed_at BIGINT,
  signed_by BIGINT REFERENCES users(id),
  PRIMARY KEY (meeting_id, version)
);
