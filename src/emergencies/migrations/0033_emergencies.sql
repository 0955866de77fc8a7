-- Risk points and emergencies (GRD-2, GRD-3): the places that flood or fail
-- first, each with the grid answering for it; a warning level declared for a
-- street or a community, which sets how often each kind of risk point is
-- patrolled (the frequency table) and makes those patrols scheduled tasks;
-- the partners called up at each level, who acknowledge and arrive; the
-- supplies by warehouse with every movement in an append-only ledger; and
-- the summary kept when the emergency ends.

-- Kinds of risk point and kinds of hazard are data.
CREATE TABLE risk_kinds (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  ordinal INTEGER NOT NULL
);
INSERT INTO risk_kinds (code, name_zh, name_en, ordinal) VALUES
  ('low_lying', '低洼易涝点', 'Low-lying area', 1),
  ('underpass', '下穿通道', 'Underpass', 2),
  ('river', '河道', 'River section', 3),
  ('station', '车站', 'Station', 4),
  ('school', '学校', 'School', 5),
  ('construction', '建筑工地', 'Construction site', 6),
  ('old_house', '老旧房屋', 'Old house', 7);

CREATE TABLE hazards (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  ordinal INTEGER NOT NULL
);
INSERT INTO hazards (code, name_zh, name_en, ordinal) VALUES
  ('flood', '防汛', 'Flood', 1),
  ('snowstorm', '暴雪', 'Snowstorm', 2),
  ('epidemic', '疫情', 'Epidemic', 3);

CREATE TABLE risk_points (
  id {{id}},
  kind TEXT NOT NULL REFERENCES risk_kinds(code),
  name TEXT NOT NULL,
  place_id BIGINT NOT NULL REFERENCES places(id),   -- where it lies (a community or below)
  path TEXT NOT NULL,
  grid_id BIGINT REFERENCES places(id),             -- the grid answering for it
  grid_path TEXT,
  team_id BIGINT REFERENCES volunteer_teams(id),    -- a team that patrols it too
  checkpoint_id BIGINT REFERENCES patrol_checkpoints(id),  -- a plate on a patrol route
  lat_e6 BIGINT,
  lng_e6 BIGINT,
  contact_name TEXT,
  contact_phone_enc TEXT,                           -- sealed with the field key
  note TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX risk_points_path ON risk_points(path);
CREATE INDEX risk_points_grid ON risk_points(grid_path);
CREATE INDEX risk_points_checkpoint ON risk_points(checkpoint_id);

-- Level × kind → every N hours, per street; street_id 0 holds the defaults a
-- street without rows of its own uses. Levels: 4 IV 蓝, 3 III 黄, 2 II 橙, 1 I 红.
CREATE TABLE patrol_frequencies (
  street_id BIGINT NOT NULL,
  hazard TEXT NOT NULL REFERENCES hazards(code),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  kind TEXT NOT NULL REFERENCES risk_kinds(code),
  every_hours INTEGER NOT NULL CHECK (every_hours BETWEEN 1 AND 168),
  PRIMARY KEY (street_id, hazard, level, kind)
);
INSERT INTO patrol_frequencies (street_id, hazard, level, kind, every_hours) VALUES
  (0, 'flood', 4, 'low_lying', 24), (0, 'flood', 4, 'underpass', 24), (0, 'flood', 4, 'river', 12),
  (0, 'flood', 3, 'low_lying', 6), (0, 'flood', 3, 'underpass', 6), (0, 'flood', 3, 'river', 4),
  (0, 'flood', 3, 'station', 12), (0, 'flood', 3, 'school', 12), (0, 'flood', 3, 'construction', 12),
  (0, 'flood', 3, 'old_house', 12),
  (0, 'flood', 2, 'low_lying', 3), (0, 'flood', 2, 'underpass', 2), (0, 'flood', 2, 'river', 2),
  (0, 'flood', 2, 'station', 6), (0, 'flood', 2, 'school', 6), (0, 'flood', 2, 'construction', 6),
  (0, 'flood', 2, 'old_house', 6),
  (0, 'flood', 1, 'low_lying', 1), (0, 'flood', 1, 'underpass', 1), (0, 'flood', 1, 'river', 1),
  (0, 'flood', 1, 'station', 2), (0, 'flood', 1, 'school', 2), (0, 'flood', 1, 'construction', 2),
  (0, 'flood', 1, 'old_house', 2),
  (0, 'snowstorm', 3, 'underpass', 12), (0, 'snowstorm', 3, 'old_house', 12),
  (0, 'snowstorm', 2, 'underpass', 6), (0, 'snowstorm', 2, 'old_house', 6),
  (0, 'snowstorm', 2, 'station', 12), (0, 'snowstorm', 2, 'school', 12),
  (0, 'snowstorm', 1, 'underpass', 3), (0, 'snowstorm', 1, 'old_house', 3),
  (0, 'snowstorm', 1, 'station', 6), (0, 'snowstorm', 1, 'school', 6);

-- The partners called up at a level or a higher one, by the street's or a
-- community's list; who has not acknowledged within `minutes` is escalated.
CREATE TABLE callup_lists (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  hazard TEXT NOT NULL REFERENCES hazards(code),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  minutes INTEGER NOT NULL,
  UNIQUE (place_id, hazard, org_id)
);

CREATE TABLE emergencies (
  id {{id}},
  hazard TEXT NOT NULL REFERENCES hazards(code),
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
  place_id BIGINT NOT NULL REFERENCES places(id),   -- a street or a community
  path TEXT NOT NULL,
  street_id BIGINT NOT NULL REFERENCES places(id),  -- whose frequency table applies
  status TEXT NOT NULL CHECK (status IN ('active','ended')),
  reason TEXT NOT NULL,
  declared_by BIGINT NOT NULL REFERENCES users(id),
  declared_at BIGINT NOT NULL,
  ended_by BIGINT REFERENCES users(id),
  ended_at BIGINT,
  summary TEXT,                                     -- JSON, written when it ends
  version BIGINT NOT NULL DEFAULT 0,                -- bumped by every change: the board's cache
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX emergencies_one_active ON emergencies(place_id, hazard) WHERE status = 'active';
CREATE INDEX emergencies_path ON emergencies(path, declared_at);

-- What happened, in order: the summary's timeline.
CREATE TABLE emergency_log (
  id {{id}},
  emergency_id BIGINT NOT NULL REFERENCES emergencies(id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,               -- declared, raised, lowered, ended, called_up, acknowledged,
                                    -- arrived, not_acknowledged, task_missed, supply, order
  level INTEGER,
  user_id BIGINT REFERENCES users(id),
  data TEXT NOT NULL DEFAULT '{}'   -- JSON: names and counts
);
CREATE INDEX emergency_log_emergency ON emergency_log(emergency_id, id);

-- One patrol of one risk point: round after round at the level's frequency,
-- each due `every_hours` after it starts; a missed one escalates.
CREATE TABLE emergency_tasks (
  id {{id}},
  emergency_id BIGINT NOT NULL REFERENCES emergencies(id),
  risk_point_id BIGINT NOT NULL REFERENCES risk_points(id),
  round INTEGER NOT NULL,
  level INTEGER NOT NULL,
  every_hours INTEGER NOT NULL,
  path TEXT NOT NULL,                -- the risk point's, and its grid's: who does it
  grid_path TEXT,
  team_id BIGINT REFERENCES volunteer_teams(id),
  starts_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','done','missed','cancelled')),
  done_at BIGINT,
  done_by BIGINT REFERENCES users(id),
  via TEXT,                          -- report | scan
  note TEXT,
  photos TEXT NOT NULL DEFAULT '[]',
  UNIQUE (emergency_id, risk_point_id, round)
);
-- One open task a risk point at a time: two processes reconciling the same
-- level change cannot both create it.
CREATE UNIQUE INDEX emergency_tasks_one_open ON emergency_tasks(emergency_id, risk_point_id)
  WHERE status = 'open';
CREATE INDEX emergency_tasks_grid ON emergency_tasks(grid_path, status);
CREATE INDEX emergency_tasks_path ON emergency_tasks(path, status);
CREATE INDEX emergency_tasks_status ON emergency_tasks(emergency_id, status);

CREATE TABLE callups (
  id {{id}},
  emergency_id BIGINT NOT NULL REFERENCES emergencies(id),
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  level INTEGER NOT NULL,            -- the level it was called at
  called_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,            -- acknowledge by
  acknowledged_at BIGINT,
  acknowledged_by BIGINT REFERENCES users(id),
  people INTEGER,                    -- how many they send
  arrived_at BIGINT,
  arrived_by BIGINT REFERENCES users(id),
  escalated_at BIGINT,
  note TEXT,
  UNIQUE (emergency_id, org_id)
);

-- Supplies.
CREATE TABLE supply_items (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  unit_zh TEXT NOT NULL,
  unit_en TEXT NOT NULL,
  ordinal INTEGER NOT NULL
);
INSERT INTO supply_items (code, name_zh, name_en, unit_zh, unit_en, ordinal) VALUES
  ('sandbag', '沙袋', 'Sandbags', '袋', 'bags', 1),
  ('pump', '抽水泵', 'Pumps', '台', 'pumps', 2),
  ('raincoat', '雨衣', 'Raincoats', '件', 'coats', 3),
  ('boots', '雨靴', 'Rain boots', '双', 'pairs', 4),
  ('torch', '手电筒', 'Torches', '个', 'torches', 5),
  ('lifejacket', '救生衣', 'Life jackets', '件', 'jackets', 6),
  ('shovel', '铁锹', 'Shovels', '把', 'shovels', 7),
  ('cone', '警示锥', 'Traffic cones', '个', 'cones', 8);

CREATE TABLE warehouses (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  address TEXT,
  lat_e6 BIGINT,
  lng_e6 BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX warehouses_path ON warehouses(path);

-- The stock of an item in a warehouse: what the movements sum to, never
-- below zero; under `low_at` it alerts once until restocked.
CREATE TABLE supply_stock (
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  item TEXT NOT NULL REFERENCES supply_items(code),
  quantity BIGINT NOT NULL CHECK (quantity >= 0),
  low_at BIGINT NOT NULL DEFAULT 0,
  low_alerted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (warehouse_id, item)
);

-- Every movement, appended and never changed: a transfer is two rows (out
-- and in) with one transfer id, written together or not at all; `balance` is
-- the stock after it, so the ledger can be replayed and checked.
CREATE TABLE supply_movements (
  id {{id}},
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  item TEXT NOT NULL REFERENCES supply_items(code),
  kind TEXT NOT NULL CHECK (kind IN ('receive','issue','transfer_out','transfer_in','return',
                                     'write_off')),
  quantity BIGINT NOT NULL,          -- signed: + in, - out
  balance BIGINT NOT NULL,
  transfer_id BIGINT,
  counterpart TEXT,                  -- issued to / returned by (a person or a site), supplier
  risk_point_id BIGINT REFERENCES risk_points(id),
  emergency_id BIGINT REFERENCES emergencies(id),
  note TEXT,
  user_id BIGINT REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX supply_movements_stock ON supply_movements(warehouse_id, item, id);
CREATE INDEX supply_movements_emergency ON supply_movements(emergency_id);
