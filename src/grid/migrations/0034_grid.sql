-- Grid work and door-to-door campaigns (GRD-1, GRD-4): a grid worker's daily
-- patrol of their grid (its GPS track and the buildings visited, for the
-- week's coverage), the events found on the way (one that needs fixing
-- becomes a work order, linked), and campaigns that give every household of
-- a chosen set an outcome, grid by grid.

CREATE TABLE grid_patrols (
  id {{id}},
  grid_id BIGINT NOT NULL REFERENCES places(id),
  grid_path TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('ongoing','done')),
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  track TEXT NOT NULL DEFAULT '[]',     -- JSON [[lat_e6, lng_e6, at], …], at most 5,000 points
  note TEXT
);
CREATE UNIQUE INDEX grid_patrols_one_ongoing ON grid_patrols(user_id) WHERE status = 'ongoing';
CREATE INDEX grid_patrols_grid ON grid_patrols(grid_path, started_at);

-- A building (or compound) visited on a patrol: the week's coverage.
CREATE TABLE grid_visits (
  patrol_id BIGINT NOT NULL REFERENCES grid_patrols(id),
  place_id BIGINT NOT NULL REFERENCES places(id),
  grid_path TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (patrol_id, place_id)
);
CREATE INDEX grid_visits_place ON grid_visits(grid_path, at);

CREATE TABLE grid_events (
  id {{id}},
  grid_id BIGINT NOT NULL REFERENCES places(id),
  grid_path TEXT NOT NULL,
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  patrol_id BIGINT REFERENCES grid_patrols(id),
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  photos TEXT NOT NULL DEFAULT '[]',
  lat_e6 BIGINT,
  lng_e6 BIGINT,
  work_order_id BIGINT REFERENCES work_orders(id),
  status TEXT NOT NULL CHECK (status IN ('open','resolved','ordered')),
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  resolved_at BIGINT
);
CREATE INDEX grid_events_grid ON grid_events(grid_path, created_at);

CREATE TABLE campaigns (
  id {{id}},
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  place_id BIGINT NOT NULL REFERENCES places(id),    -- a street or a community
  path TEXT NOT NULL,
  form TEXT NOT NULL DEFAULT '[]',                   -- JSON [{key, label, type, options?}]
  selection TEXT NOT NULL,                           -- JSON: how the households were chosen
  status TEXT NOT NULL CHECK (status IN ('active','closed')),
  households INTEGER NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE INDEX campaigns_path ON campaigns(path, created_at);

CREATE TABLE campaign_households (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  grid_path TEXT,
  building_id BIGINT REFERENCES places(id),
  outcome TEXT CHECK (outcome IN ('visited','not_home','refused','follow_up')),
  note TEXT,
  answers TEXT NOT NULL DEFAULT '{}',
  visits INTEGER NOT NULL DEFAULT 0,
  visited_by BIGINT REFERENCES users(id),
  visited_at BIGINT,
  PRIMARY KEY (campaign_id, household_id)
);
CREATE INDEX campaign_households_grid ON campaign_households(campaign_id, grid_path);
CREATE INDEX campaign_households_building ON campaign_households(campaign_id, building_id);
