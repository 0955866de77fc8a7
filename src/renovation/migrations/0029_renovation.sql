-- Renovation of old compounds (老旧小区改造, GOV-4): a project on a compound or
-- a building with its items, moving through its stages in order — each stage
-- closed only when it has what it needs — with its publicity notices, the
-- owners' votes that decide it, its plan's options, the inspection logs of
-- construction, defects as work orders for the contractor, and the
-- maintenance that recurs afterwards.

-- What a project can include (configurable).
CREATE TABLE renovation_item_kinds (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  en TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO renovation_item_kinds (key, zh, en, ordinal) VALUES
  ('pocket_park', '口袋公园', 'Pocket park', 10),
  ('ev_chargers', '电动车充电桩', 'EV chargers', 20),
  ('handrails', '楼道扶手', 'Handrails', 30),
  ('anti_slip', '防滑条', 'Anti-slip strips', 40),
  ('cable_burial', '线缆入地', 'Cables buried', 50),
  ('pipe_network', '管网改造', 'Pipe network', 60),
  ('waterproofing', '屋面防水与外墙保温', 'Waterproofing and insulation', 70),
  ('lighting', '楼道照明', 'Stairwell lighting', 80),
  ('lifts', '加装电梯', 'Lifts added', 90);

-- The stages, in order, and what closing each needs:
--   notice: a publicity notice sent; vote: its owners' vote passed (and for
--   the plan, an option chosen); defects: every defect checked and closed;
--   none: the last stage, which does not close.
CREATE TABLE renovation_stages (
  key TEXT PRIMARY KEY,
  zh TEXT NOT NULL,
  en TEXT NOT NULL,
  ordinal INTEGER NOT NULL UNIQUE,
  needs TEXT NOT NULL CHECK (needs IN ('notice','vote','plan','defects','none'))
);
INSERT INTO renovation_stages (key, zh, en, ordinal, needs) VALUES
  ('publicity', '宣传发动', 'Publicity', 1, 'notice'),
  ('intention', '意愿征集', 'Intention collection', 2, 'vote'),
  ('plan', '方案讨论确定', 'Plan decided', 3, 'plan'),
  ('construction', '施工安全监管', 'Construction supervision', 4, 'defects'),
  ('maintenance', '长效管理', 'Long-term management', 5, 'none');

CREATE TABLE renovation_projects (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),   -- a compound or a building
  path TEXT NOT NULL,
  grid_path TEXT,
  title TEXT NOT NULL,
  description TEXT,
  contractor_org_id BIGINT REFERENCES orgs(id),     -- the partner building it: defects go to it
  stage TEXT NOT NULL REFERENCES renovation_stages(key),
  intention_vote_id BIGINT REFERENCES owner_votes(id),
  plan_vote_id BIGINT REFERENCES owner_votes(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX renovation_projects_path ON renovation_projects(path);
CREATE INDEX renovation_projects_grid ON renovation_projects(grid_path);

CREATE TABLE renovation_project_items (
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  kind TEXT NOT NULL REFERENCES renovation_item_kinds(key),
  PRIMARY KEY (project_id, kind)
);

-- Every stage entered and closed, by whom.
CREATE TABLE renovation_stage_moves (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  stage TEXT NOT NULL REFERENCES renovation_stages(key),
  move TEXT NOT NULL CHECK (move IN ('entered','closed')),
  note TEXT,
  user_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX renovation_stage_moves_project ON renovation_stage_moves(project_id, id);

CREATE TABLE renovation_plan_options (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  title TEXT NOT NULL,
  description TEXT,
  chosen INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX renovation_plan_options_project ON renovation_plan_options(project_id);

-- Publicity notices: each put in the inbox of every resident account under the
-- project's place (live/reads.h counts who read it).
CREATE TABLE renovation_notices (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  text TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX renovation_notices_project ON renovation_notices(project_id);

-- Residents who supervise construction (居民监督员): they log inspections too.
CREATE TABLE renovation_supervisors (
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX renovation_supervisors_user ON renovation_supervisors(user_id);

-- The daily inspection logs of construction.
CREATE TABLE renovation_inspections (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  as_supervisor INTEGER NOT NULL,      -- a resident supervisor's, or staff's
  text TEXT NOT NULL,
  photos TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);
CREATE INDEX renovation_inspections_project ON renovation_inspections(project_id, id);

-- Defects found: each a work order of its own kind for the contractor, with
-- the rectification deadline, re-inspected (verified) before it closes.
CREATE TABLE renovation_defects (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  inspection_id BIGINT REFERENCES renovation_inspections(id),
  order_id BIGINT NOT NULL REFERENCES work_orders(id),
  title TEXT NOT NULL,
  deadline_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX renovation_defects_project ON renovation_defects(project_id);

-- Long-term management: tasks that recur, each due time filing a work order.
CREATE TABLE renovation_maintenance (
  id {{id}},
  project_id BIGINT NOT NULL REFERENCES renovation_projects(id),
  title TEXT NOT NULL,
  every_days INTEGER NOT NULL CHECK (every_days BETWEEN 1 AND 366),
  org_id BIGINT REFERENCES orgs(id),
  next_due_at BIGINT NOT NULL,
  last_order_id BIGINT REFERENCES work_orders(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX renovation_maintenance_project ON renovation_maintenance(project_id);

-- The work orders renovation files.
INSERT INTO wo_categories (key, zh, en, body, deadline_hours, urgent, sort) VALUES
  ('renovation_defect', '改造施工缺陷', 'Renovation defect', 'property', 72, 0, 140),
  ('renovation_maintenance', '改造设施养护', 'Renovated facilities upkeep', 'property', 168, 0, 150);
