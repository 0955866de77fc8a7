-- Residents' demands and work orders (WO-1 … WO-7), and persisted scheduled work.

-- Categories of problems, as configuration: the body responsible by default,
-- the deadline, whether it is urgent.
CREATE TABLE wo_categories (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  en TEXT NOT NULL,
  body TEXT NOT NULL CHECK (body IN ('property','sanitation','community','street')),
  deadline_hours INTEGER NOT NULL CHECK (deadline_hours BETWEEN 1 AND 8760),
  urgent INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  sort INTEGER NOT NULL DEFAULT 0
);
-- The seed's categories first (飞线、杂物、楼道脏乱、小广告、门窗墙地破损、下水道堵塞), then the usual ones.
INSERT INTO wo_categories (key, zh, en, body, deadline_hours, urgent, sort) VALUES
  ('tangled_cables', '飞线乱拉', 'Tangled cables', 'property', 72, 0, 10),
  ('clutter', '杂物堆放', 'Clutter in common areas', 'property', 48, 0, 20),
  ('dirty_hallway', '楼道脏乱', 'Dirty hallway', 'property', 24, 0, 30),
  ('small_ads', '小广告', 'Small ads', 'sanitation', 48, 0, 40),
  ('broken_structure', '门窗墙地破损', 'Broken windows, floors or walls', 'property', 120, 0, 50),
  ('blocked_drain', '下水道堵塞', 'Blocked drain', 'property', 24, 1, 60),
  ('lighting', '照明故障', 'Lighting out', 'property', 48, 0, 70),
  ('greenery', '绿化养护', 'Greenery', 'property', 120, 0, 80),
  ('parking', '停车秩序', 'Parking', 'community', 72, 0, 90),
  ('noise', '噪音扰民', 'Noise', 'community', 48, 0, 100),
  ('water_leak', '漏水渗水', 'Water leak', 'property', 24, 1, 110),
  ('lift', '电梯故障', 'Lift out of order', 'property', 12, 1, 120),
  ('other', '其他', 'Other', 'community', 72, 0, 130);

-- Routing rules: a category at a place (and everything below it) goes to
-- another body, with its own deadline. The most specific place wins.
CREATE TABLE wo_rules (
  id {{id}},
  category TEXT NOT NULL REFERENCES wo_categories(key),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  body TEXT NOT NULL CHECK (body IN ('property','sanitation','community','street')),
  deadline_hours INTEGER CHECK (deadline_hours BETWEEN 1 AND 8760),
  urgent INTEGER,
  created_at BIGINT NOT NULL,
  UNIQUE (category, place_id)
);

-- Windows, days and thresholds of the module.
CREATE TABLE wo_settings (
  key TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO wo_settings (key, value) VALUES
  ('recurrence_window_days', 30),
  ('followup_days', 14),
  ('hotspot_threshold', 2),
  ('hotspot_window_days', 90),
  ('reinspection_interval_days', 7),
  ('reinspection_count', 3);

-- Uploaded photos, named by the SHA-256 of their (cleaned) content; the
-- bytes live under <data-dir>/photos/.
CREATE TABLE photos (
  id TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploaded_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE work_orders (
  id {{id}},
  category TEXT NOT NULL REFERENCES wo_categories(key),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,                 -- the place's path: the order's data scope
  grid_path TEXT,                     -- the governing grid's path, for grid workers
  compound_id BIGINT REFERENCES places(id),
  lat_e6 BIGINT,                      -- the point reported, else the place's
  lng_e6 BIGINT,
  text TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted','accepted','dispatched','in_progress',
                                        'resolved','verified','closed','rejected','reopened')),
  urgent INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL CHECK (body IN ('property','sanitation','community','street')),
  body_org_id BIGINT REFERENCES orgs(id),   -- the property company, when body = property
  escalation_level INTEGER NOT NULL DEFAULT 0,  -- 0: the body; 1: community; 2: street
  deadline_hours INTEGER NOT NULL,    -- from the routing; a reopened order gets it again
  deadline_at BIGINT NOT NULL,
  reporter_id BIGINT REFERENCES users(id),
  reporter_name TEXT,                 -- 代报 and Open311: who called
  reporter_phone_enc TEXT,            -- sealed with the field key
  anonymous INTEGER NOT NULL DEFAULT 0,  -- to the public; never to staff
  channel TEXT NOT NULL CHECK (channel IN ('mobile','console','phone','walk_in','open311')),
  filed_by BIGINT REFERENCES users(id),
  recurrence_of BIGINT REFERENCES work_orders(id),
  reject_reason TEXT,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT,
  followup_asked_at BIGINT,
  followup_answer INTEGER,
  accepted_at BIGINT,                 -- first response
  resolved_at BIGINT,                 -- first resolution
  closed_at BIGINT,                   -- latest closing
  followers INTEGER NOT NULL DEFAULT 0,
  open311_token TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX work_orders_path ON work_orders(path, created_at);
CREATE INDEX work_orders_grid_path ON work_orders(grid_path);
CREATE INDEX work_orders_place ON work_orders(place_id, category, closed_at);
CREATE INDEX work_orders_reporter ON work_orders(reporter_id, created_at);
CREATE INDEX work_orders_point ON work_orders(category, lat_e6);
CREATE INDEX work_orders_compound ON work_orders(compound_id, created_at);
CREATE INDEX work_orders_created ON work_orders(created_at);
CREATE INDEX work_orders_recurrence ON work_orders(recurrence_of);

-- The timeline: every step of every order.
CREATE TABLE wo_events (
  id {{id}},
  order_id BIGINT NOT NULL REFERENCES work_orders(id),
  at BIGINT NOT NULL,
  actor_id BIGINT REFERENCES users(id),
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  note TEXT
);
CREATE INDEX wo_events_order ON wo_events(order_id, id);

CREATE TABLE wo_photos (
  order_id BIGINT NOT NULL REFERENCES work_orders(id),
  photo_id TEXT NOT NULL REFERENCES photos(id),
  stage TEXT NOT NULL CHECK (stage IN ('report','resolution')),
  PRIMARY KEY (order_id, photo_id)
);
CREATE INDEX wo_photos_photo ON wo_photos(photo_id);

-- Residents who follow an order instead of filing a duplicate.
CREATE TABLE wo_followers (
  order_id BIGINT NOT NULL REFERENCES work_orders(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  at BIGINT NOT NULL,
  PRIMARY KEY (order_id, user_id)
);
CREATE INDEX wo_followers_user ON wo_followers(user_id);

-- Re-inspections of hot spots, for the grid worker (WO-4).
CREATE TABLE wo_inspections (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  grid_path TEXT,
  category TEXT NOT NULL REFERENCES wo_categories(key),
  due_at BIGINT NOT NULL,
  done_at BIGINT,
  done_by BIGINT REFERENCES users(id),
  note TEXT,
  problem_found INTEGER,
  created_at BIGINT NOT NULL
);
CREATE INDEX wo_inspections_path ON wo_inspections(path, due_at);
CREATE INDEX wo_inspections_place ON wo_inspections(place_id, category, done_at);

-- Three-party consultation topics (WO-5): community, property company,
-- resident representatives. The councils module gives them meetings.
CREATE TABLE consultation_topics (
  id {{id}},
  order_id BIGINT UNIQUE REFERENCES work_orders(id),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  property_org_id BIGINT REFERENCES orgs(id),
  resident_reps TEXT NOT NULL,        -- JSON array of names
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','concluded')),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX consultation_topics_path ON consultation_topics(path);

-- Keys of Open311 clients allowed to file requests.
CREATE TABLE open311_keys (
  id {{id}},
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Scheduled work (escalations, follow-up questions …), so that it survives
-- restarts: a job is done exactly once, by whichever server process claims it.
CREATE TABLE scheduled_jobs (
  id {{id}},
  kind TEXT NOT NULL,
  ref_id BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  done_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX scheduled_jobs_due ON scheduled_jobs(due_at) WHERE done_at IS NULL;
CREATE INDEX scheduled_jobs_ref ON scheduled_jobs(kind, ref_id);

-- @postgres
ALTER TABLE wo_rules ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE work_orders ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE work_orders ALTER COLUMN grid_path TYPE TEXT COLLATE "C";
ALTER TABLE wo_inspections ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE wo_inspections ALTER COLUMN grid_path TYPE TEXT COLLATE "C";
ALTER TABLE consultation_topics ALTER COLUMN path TYPE TEXT COLLATE "C";
-- @all
