-- Patrols (VOL-3): a team's routes with their checkpoints in order, each with
-- a QR plate; a patrol is one volunteer's walk of a route, the sequence of
-- the plates scanned within the route's time; what it finds at a checkpoint
-- becomes a work order. How often a route is walked is the route's, and the
-- emergencies module raises it.
CREATE TABLE patrol_routes (
  id {{id}},
  team_id BIGINT NOT NULL REFERENCES volunteer_teams(id),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  every_hours INTEGER NOT NULL,         -- walked every N hours
  window_minutes INTEGER NOT NULL,      -- a patrol's time from start to the last plate
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX patrol_routes_team ON patrol_routes(team_id);
CREATE INDEX patrol_routes_path ON patrol_routes(path);

CREATE TABLE patrol_checkpoints (
  id {{id}},
  route_id BIGINT NOT NULL REFERENCES patrol_routes(id),
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  place_id BIGINT NOT NULL REFERENCES places(id),
  secret TEXT NOT NULL,                 -- on the plate's QR: a plate cannot be guessed
  UNIQUE (route_id, ordinal)
);

CREATE TABLE patrols (
  id {{id}},
  route_id BIGINT NOT NULL REFERENCES patrol_routes(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  started_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,               -- the start and the route's window
  ended_at BIGINT,
  status TEXT NOT NULL CHECK (status IN ('ongoing','done')),
  scanned INTEGER NOT NULL DEFAULT 0,
  out_of_order INTEGER NOT NULL DEFAULT 0,
  late INTEGER NOT NULL DEFAULT 0,
  missed INTEGER                        -- counted when it ends
);
CREATE INDEX patrols_route ON patrols(route_id, started_at);
CREATE UNIQUE INDEX patrols_one_ongoing ON patrols(route_id, user_id) WHERE status = 'ongoing';

CREATE TABLE patrol_scans (
  patrol_id BIGINT NOT NULL REFERENCES patrols(id),
  checkpoint_id BIGINT NOT NULL REFERENCES patrol_checkpoints(id),
  scanned_at BIGINT NOT NULL,
  in_order INTEGER NOT NULL,
  late INTEGER NOT NULL,
  PRIMARY KEY (patrol_id, checkpoint_id)
);

CREATE TABLE patrol_findings (
  id {{id}},
  patrol_id BIGINT NOT NULL REFERENCES patrols(id),
  checkpoint_id BIGINT NOT NULL REFERENCES patrol_checkpoints(id),
  work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX patrol_findings_patrol ON patrol_findings(patrol_id);
