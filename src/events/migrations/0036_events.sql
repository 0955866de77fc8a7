-- Events (EVT-1 … EVT-3): ceremonies and festivals, a festival being a series
-- of dates each at a community; registration with capacity and a waitlist,
-- for residents and for invited organisations; tickets whose QR is checked in
-- once (and out where the date asks); queue numbers at a station or desk;
-- scored stations whose results fill a participant's score card, with a prize
-- on completion; and honours rounds — nominations, review, a public vote by
-- verified residents guarded against ballot stuffing, and the result.

CREATE TABLE events (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),    -- the street or community holding it
  path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('festival', 'ceremony', 'activity')),
  title TEXT NOT NULL,
  description TEXT,
  audience TEXT NOT NULL CHECK (audience IN ('residents', 'organisations')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'cancelled', 'finished')),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX events_path ON events(path);

-- One date of an event, at a community (or a place in it): a festival's stop.
CREATE TABLE event_dates (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES events(id),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  venue TEXT,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),   -- registrations holding a place
  waitlist INTEGER NOT NULL DEFAULT 1,                   -- a full date takes a waitlist
  exit_scan INTEGER NOT NULL DEFAULT 0,                  -- entry and exit are both scanned
  checked_in INTEGER NOT NULL DEFAULT 0,                 -- maintained with each first scan
  cancelled_at BIGINT,
  CHECK (taken <= capacity)
);
CREATE INDEX event_dates_event ON event_dates(event_id, starts_at);
CREATE INDEX event_dates_path ON event_dates(path);

-- A registration is a ticket: its code is what its QR holds. A resident's
-- (user_id) or an invited organisation's (org_id), or a walk-in at the door.
CREATE TABLE event_registrations (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES events(id),
  date_id BIGINT NOT NULL REFERENCES event_dates(id),
  path TEXT NOT NULL,                                    -- the date's, for scope
  user_id BIGINT REFERENCES users(id),
  org_id BIGINT REFERENCES orgs(id),
  name TEXT NOT NULL,
  phone_enc TEXT,                                        -- sealed with the field key
  phone_index TEXT,                                      -- keyed hash, for the desk's search
  party INTEGER NOT NULL DEFAULT 1,                      -- people an organisation brings
  status TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled', 'invited',
                                         'declined')),
  walk_in INTEGER NOT NULL DEFAULT 0,
  public_name INTEGER NOT NULL DEFAULT 0,                -- consents to its name on leaderboards
  code TEXT NOT NULL UNIQUE,
  checked_in_at BIGINT,
  checked_in_by BIGINT REFERENCES users(id),
  checked_out_at BIGINT,
  checked_out_by BIGINT REFERENCES users(id),
  completed_at BIGINT,                                   -- every required station scored
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (date_id, user_id),
  UNIQUE (date_id, org_id)
);
CREATE INDEX event_registrations_date ON event_registrations(date_id, status, id);
CREATE INDEX event_registrations_user ON event_registrations(user_id);
CREATE INDEX event_registrations_phone ON event_registrations(date_id, phone_index);
CREATE INDEX event_registrations_org ON event_registrations(org_id);

-- How a station scores is data: what its value is, its unit, which way is better.
CREATE TABLE event_score_types (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  value_kind TEXT NOT NULL CHECK (value_kind IN ('number', 'level', 'pass', 'none')),
  unit_zh TEXT,
  unit_en TEXT,
  higher_better INTEGER NOT NULL,
  max_value INTEGER,                                     -- levels: 1 … max
  ordinal INTEGER NOT NULL
);
INSERT INTO event_score_types (code, name_zh, name_en, value_kind, unit_zh, unit_en,
                               higher_better, max_value, ordinal) VALUES
  ('time', '用时', 'Time', 'number', '秒', 's', 0, NULL, 1),
  ('duration', '坚持时长', 'Time held', 'number', '秒', 's', 1, NULL, 2),
  ('count', '次数', 'Count', 'number', '次', 'times', 1, NULL, 3),
  ('distance', '距离', 'Distance', 'number', '厘米', 'cm', 1, NULL, 4),
  ('points', '分值', 'Points', 'number', '分', 'points', 1, NULL, 5),
  ('level', '等级', 'Level', 'level', '级', '', 1, 10, 6),
  ('pass', '达标', 'Pass or fail', 'pass', NULL, NULL, 1, NULL, 7),
  ('check', '健康检测', 'Health check', 'none', NULL, NULL, 1, NULL, 8);

CREATE TABLE event_stations (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES events(id),
  name TEXT NOT NULL,
  score_type TEXT NOT NULL REFERENCES event_score_types(code),
  required INTEGER NOT NULL DEFAULT 1,                   -- counts towards the score card
  org_id BIGINT REFERENCES orgs(id),                     -- a partner operating it: its contacts score
  position INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX event_stations_event ON event_stations(event_id, position);

-- Others who may score at a station (staff score at any station they manage).
CREATE TABLE event_station_operators (
  station_id BIGINT NOT NULL REFERENCES event_stations(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (station_id, user_id)
);
CREATE INDEX event_station_operators_user ON event_station_operators(user_id);

-- A value is stored in hundredths (a time of 12.34 s is 1234); a pass/fail as 1/0; none for a check.
CREATE TABLE event_scores (
  id {{id}},
  station_id BIGINT NOT NULL REFERENCES event_stations(id),
  registration_id BIGINT NOT NULL REFERENCES event_registrations(id),
  date_id BIGINT NOT NULL REFERENCES event_dates(id),
  value_x100 BIGINT,
  note TEXT,
  scored_by BIGINT REFERENCES users(id),
  scored_at BIGINT NOT NULL,
  UNIQUE (station_id, registration_id)
);
CREATE INDEX event_scores_board ON event_scores(station_id, date_id, value_x100);
CREATE INDEX event_scores_registration ON event_scores(registration_id);

CREATE TABLE event_prizes (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES events(id),
  name TEXT NOT NULL,
  stock INTEGER NOT NULL CHECK (stock >= 0),             -- left to hand out
  handed INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX event_prizes_event ON event_prizes(event_id);

-- One prize a completed card, handed out once.
CREATE TABLE event_prize_awards (
  registration_id BIGINT PRIMARY KEY REFERENCES event_registrations(id),
  prize_id BIGINT NOT NULL REFERENCES event_prizes(id),
  handed_by BIGINT REFERENCES users(id),
  handed_at BIGINT NOT NULL
);

-- Queue numbers (取号) at a station or a desk of one date.
CREATE TABLE event_queues (
  id {{id}},
  date_id BIGINT NOT NULL REFERENCES event_dates(id),
  path TEXT NOT NULL,
  station_id BIGINT REFERENCES event_stations(id),
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,                                  -- "A": numbers read A001
  issued INTEGER NOT NULL DEFAULT 0,                     -- the last number given
  serving BIGINT,                                        -- the ticket now called
  open INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX event_queues_date ON event_queues(date_id);

CREATE TABLE event_queue_tickets (
  id {{id}},
  queue_id BIGINT NOT NULL REFERENCES event_queues(id),
  number INTEGER NOT NULL,
  user_id BIGINT REFERENCES users(id),                   -- none: printed at the desk
  registration_id BIGINT REFERENCES event_registrations(id),
  status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'served', 'skipped')),
  called_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (queue_id, number)
);
CREATE INDEX event_queue_tickets_status ON event_queue_tickets(queue_id, status, number);
CREATE INDEX event_queue_tickets_user ON event_queue_tickets(user_id);

-- Honours (评选): a round's nominees, reviewed, then voted on by verified
-- residents of its place.
CREATE TABLE honour_rounds (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('collective', 'individual', 'partner', 'grid')),
  description TEXT,
  status TEXT NOT NULL CHECK (status IN ('nominating', 'voting', 'closed', 'published')),
  residents_nominate INTEGER NOT NULL DEFAULT 1,
  votes_per_voter INTEGER NOT NULL DEFAULT 1 CHECK (votes_per_voter > 0),
  household_cap INTEGER CHECK (household_cap > 0),       -- votes one household may cast
  exclude_new_accounts INTEGER NOT NULL DEFAULT 1,       -- accounts made after voting opened
  per_address_per_minute INTEGER NOT NULL DEFAULT 20,    -- rate limit of one address
  criteria TEXT NOT NULL DEFAULT '[]',                   -- [{key, label, max}]: scored evaluations
  voting_opened_at BIGINT,
  voting_closed_at BIGINT,
  published_at BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX honour_rounds_path ON honour_rounds(path);

CREATE TABLE honour_nominees (
  id {{id}},
  round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
  name TEXT NOT NULL,
  org_id BIGINT REFERENCES orgs(id),                     -- a collective or partner
  grid_id BIGINT REFERENCES places(id),                  -- a grid evaluated
  text TEXT NOT NULL,
  photos TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  review_note TEXT,
  scores TEXT NOT NULL DEFAULT '{}',                     -- criterion key → points
  score_total INTEGER NOT NULL DEFAULT 0,
  nominated_by BIGINT REFERENCES users(id),
  reviewed_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX honour_nominees_round ON honour_nominees(round_id, status);

-- Votes, and what the anomaly report and the count need of each: the voter's
-- household, address and account age. A void vote is kept and not counted.
CREATE TABLE honour_votes (
  id {{id}},
  round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
  nominee_id BIGINT NOT NULL REFERENCES honour_nominees(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  address TEXT NOT NULL,
  account_created_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  voided_at BIGINT,
  void_reason TEXT,
  UNIQUE (round_id, user_id, nominee_id)
);
CREATE INDEX honour_votes_round ON honour_votes(round_id, created_at);
CREATE INDEX honour_votes_address ON honour_votes(round_id, address, created_at);

-- Votes used per voter and per household of a round: taken with a check in
-- one statement, so that concurrent votes cannot pass the limits.
CREATE TABLE honour_ballots (
  round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
  voter TEXT NOT NULL,                                   -- "u:<user id>" or "h:<household id>"
  used INTEGER NOT NULL,
  PRIMARY KEY (round_id, voter)
);
