-- Councils (GOV-1): round-table councils and their kin, each bound to a place,
-- with members in their seats, adopting a rule set (GOV-2), holding meetings
-- (GOV-3) with an agenda, registration and check-in.

-- Kinds and seats are data: a street may add its own.
CREATE TABLE council_kinds (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  en TEXT NOT NULL,
  place_kinds TEXT NOT NULL,       -- JSON array: the kinds of place it may sit at
  ordinal INTEGER NOT NULL
);
INSERT INTO council_kinds (key, zh, en, place_kinds, ordinal) VALUES
  ('roundtable', '圆桌议事会', 'Round-table council', '["community"]', 1),
  ('home_council', '家园理事会', 'Home council', '["compound"]', 2),
  ('building_post', '楼栋说事岗', 'Building talk post', '["building"]', 3),
  ('three_party', '三方协商', 'Three-party consultation', '["community","compound","building"]', 4);

CREATE TABLE council_seats (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  en TEXT NOT NULL,
  ordinal INTEGER NOT NULL
);
INSERT INTO council_seats (key, zh, en, ordinal) VALUES
  ('party_secretary', '社区党组织书记', 'Community Party secretary', 1),
  ('branch_secretary', '党支部书记', 'Party branch secretary', 2),
  ('building_leader', '楼长、院长', 'Building or courtyard leader', 3),
  ('resident_rep', '居民代表', 'Resident representative', 4),
  ('grid_worker', '网格员', 'Grid worker', 5),
  ('property', '物业企业', 'Property company', 6),
  ('partner', '合伙人单位', 'Partner', 7),
  ('community_staff', '社区工作者', 'Community staff', 8);

-- Rule sets: the parameters the software enforces (councils/rules.h); the
-- ten rules' texts are the code's.
CREATE TABLE rule_sets (
  id {{id}},
  name TEXT NOT NULL,
  path TEXT,                       -- whose it is; none: the street's default, for everyone
  params TEXT NOT NULL,            -- JSON object
  created_at BIGINT NOT NULL
);
INSERT INTO rule_sets (name, path, params, created_at) VALUES
  ('十条议事规则', NULL, '{"speech_seconds":180,"extension_seconds":60,"extensions_per_speech":1,"speeches_per_motion":2,"quorum_percent":50,"alternate_sides":true,"proxies_allowed":false,"secret_votes":false,"pass":"more_than_half_present"}', 0);

CREATE TABLE councils (
  id {{id}},
  kind TEXT NOT NULL REFERENCES council_kinds(key),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  rule_set_id BIGINT NOT NULL REFERENCES rule_sets(id),
  term_start TEXT,                 -- YYYY-MM-DD
  term_end TEXT,
  consultation_id BIGINT UNIQUE,   -- a work order's 三方协商 that became this council
  archived_at BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX councils_path ON councils(path);

CREATE TABLE council_members (
  id {{id}},
  council_id BIGINT NOT NULL REFERENCES councils(id),
  seat TEXT NOT NULL REFERENCES council_seats(key),
  name TEXT NOT NULL,
  user_id BIGINT REFERENCES users(id),      -- signs in: gets notices, checks in, votes
  resident_id BIGINT REFERENCES residents(id),
  org_id BIGINT REFERENCES orgs(id),
  joined_at BIGINT NOT NULL,
  left_at BIGINT
);
CREATE INDEX council_members_council ON council_members(council_id);
CREATE INDEX council_members_user ON council_members(user_id);

CREATE TABLE meetings (
  id {{id}},
  council_id BIGINT NOT NULL REFERENCES councils(id),
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  location TEXT,
  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','open','closed','cancelled')),
  params TEXT NOT NULL,            -- the council's rules as they were when it was called
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX meetings_council ON meetings(council_id, starts_at);
CREATE INDEX meetings_path ON meetings(path, starts_at);

CREATE TABLE agenda_items (
  id {{id}},
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  ordinal INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('motion','discussion')),
  title TEXT NOT NULL,
  presenter_id BIGINT REFERENCES council_members(id),
  minutes INTEGER NOT NULL         -- its time box
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, ordinal);

-- Each member's answer to a meeting's notice, and their check-in.
CREATE TABLE meeting_attendance (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  member_id BIGINT NOT NULL REFERENCES council_members(id),
  reply TEXT NOT NULL DEFAULT 'invited' CHECK (reply IN ('invited','attending','absent','proxy')),
  reason TEXT,
  proxy_id BIGINT REFERENCES council_members(id),
  checked_in_at BIGINT,
  checked_in_by BIGINT REFERENCES users(id),  -- the chair, when not the member's own scan
  PRIMARY KEY (meeting_id, member_id)
);

-- The work orders' 三方协商 topics so far become three_party councils, each
-- with the property company and the resident representatives as members and
-- its topic as its first meeting's one motion (new ones follow the event
-- workorder.consultation_opened).
INSERT INTO councils (kind, place_id, path, name, rule_set_id, consultation_id, created_by, created_at)
  SELECT 'three_party', t.place_id, t.path, '三方协商：' || t.title,
         (SELECT MIN(id) FROM rule_sets WHERE path IS NULL), t.id, t.created_by, t.created_at
  FROM consultation_topics t;
INSERT INTO council_members (council_id, seat, name, org_id, joined_at)
  SELECT c.id, 'property', o.name, o.id, c.created_at
  FROM councils c JOIN consultation_topics t ON t.id = c.consultation_id JOIN orgs o ON o.id = t.property_org_id;
-- @sqlite
INSERT INTO council_members (council_id, seat, name, joined_at)
  SELECT c.id, 'resident_rep', j.value, c.created_at
  FROM councils c JOIN consultation_topics t ON t.id = c.consultation_id, json_each(t.resident_reps) j;
-- @postgres
INSERT INTO council_members (council_id, seat, name, joined_at)
  SELECT c.id, 'resident_rep', j.value, c.created_at
  FROM councils c JOIN consultation_topics t ON t.id = c.consultation_id
  CROSS JOIN LATERAL json_array_elements_text(t.resident_reps::json) AS j(value);
-- @all
INSERT INTO meetings (council_id, path, title, starts_at, params, created_by, created_at)
  SELECT c.id, c.path, t.title, t.created_at, rs.params, t.created_by, t.created_at
  FROM councils c JOIN consultation_topics t ON t.id = c.consultation_id JOIN rule_sets rs ON rs.id = c.rule_set_id;
INSERT INTO agenda_items (meeting_id, ordinal, kind, title, minutes)
  SELECT m.id, 1, 'motion', m.title, 30
  FROM meetings m JOIN councils c ON c.id = m.council_id WHERE c.consultation_id IS NOT NULL;
INSERT INTO meeting_attendance (meeting_id, member_id)
  SELECT m.id, cm.id
  FROM meetings m JOIN councils c ON c.id = m.council_id JOIN council_members cm ON cm.council_id = c.id
  WHERE c.consultation_id IS NOT NULL;

-- @postgres
ALTER TABLE councils ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE meetings ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE rule_sets ALTER COLUMN path TYPE TEXT COLLATE "C";
