-- The street's places, people and partners (FND-1, FND-2, FND-3).

-- Places: addresses, map points, areas, the grid a building belongs to, the
-- company that serves a compound.
ALTER TABLE places ADD COLUMN address TEXT;
ALTER TABLE places ADD COLUMN lat_e6 BIGINT;            -- micro-degrees (WGS-84)
ALTER TABLE places ADD COLUMN lng_e6 BIGINT;
ALTER TABLE places ADD COLUMN area_centi_m2 BIGINT;     -- households: exclusive area in 0.01 m²
ALTER TABLE places ADD COLUMN grid_id BIGINT REFERENCES places(id);
-- For buildings, units and households: the path of the grid that governs
-- them, so a grid worker's scope reaches them although they sit under a compound.
ALTER TABLE places ADD COLUMN grid_path TEXT;
ALTER TABLE places ADD COLUMN property_org_id BIGINT;   -- compounds: the property company
CREATE INDEX places_grid_path ON places(grid_path);
CREATE INDEX places_kind_path ON places(kind, path);

-- Partner organisations (合伙人单位).
CREATE TABLE orgs (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('company','institution','school','property_company',
                                     'social_org','volunteer_team')),
  credit_code TEXT,                 -- 统一社会信用代码
  address TEXT,
  place_id BIGINT NOT NULL REFERENCES places(id),  -- where it is registered (报到)
  path TEXT NOT NULL,
  party_branch TEXT,                -- its Party branch, if any (党员联管)
  description TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT
);
CREATE INDEX orgs_path ON orgs(path);

-- 合作意向书
CREATE TABLE agreements (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  title TEXT NOT NULL,
  signed_on TEXT NOT NULL,          -- YYYY-MM-DD
  term_start TEXT NOT NULL,
  term_end TEXT NOT NULL,
  commitments TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX agreements_org ON agreements(org_id);

CREATE TABLE org_contacts (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  title TEXT,
  phone_enc TEXT,
  user_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, user_id)
);
CREATE INDEX org_contacts_user ON org_contacts(user_id);

-- The three lists (三张清单): needs, resources, projects.
CREATE TABLE needs (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','matched','closed')),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX needs_path ON needs(path);

CREATE TABLE resources (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  place_id BIGINT NOT NULL REFERENCES places(id),  -- the area it is offered to
  path TEXT NOT NULL,
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  capacity TEXT,
  status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available','withdrawn')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX resources_category ON resources(category, path);

CREATE TABLE projects (
  id {{id}},
  need_id BIGINT NOT NULL REFERENCES needs(id),
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','active','done','cancelled')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX projects_path ON projects(path);

CREATE TABLE project_resources (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  resource_id BIGINT NOT NULL REFERENCES resources(id),
  PRIMARY KEY (project_id, resource_id)
);

-- Residents (people) and their memberships of households.
CREATE TABLE residents (
  id {{id}},
  name TEXT NOT NULL,
  gender TEXT CHECK (gender IN ('male','female')),
  birth_date TEXT,                  -- YYYY-MM-DD, from the national ID
  id_number_enc TEXT,               -- sealed with the field key
  id_number_index TEXT UNIQUE,      -- keyed hash, to find a person without decrypting
  phone_enc TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT
);

CREATE TABLE household_members (
  id {{id}},
  household_id BIGINT NOT NULL REFERENCES places(id),
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  relation TEXT NOT NULL CHECK (relation IN ('owner','tenant','family')),
  path TEXT NOT NULL,               -- the household's path and grid path, for scope
  grid_path TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (household_id, resident_id)
);
CREATE INDEX household_members_resident ON household_members(resident_id);
CREATE INDEX household_members_path ON household_members(path);
CREATE INDEX household_members_grid_path ON household_members(grid_path);

-- Special-care tags (独居老人, 残疾人, 低保 …), seen only by community staff and helpers.
CREATE TABLE resident_tags (
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  tag TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (resident_id, tag)
);
CREATE INDEX resident_tags_tag ON resident_tags(tag);

-- The users assigned to help a resident (a steward, a volunteer): they see the tags too.
CREATE TABLE care_helpers (
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (resident_id, user_id)
);
CREATE INDEX care_helpers_user ON care_helpers(user_id);

-- Consents (e.g. to show one's name publicly); the latest record per kind counts.
CREATE TABLE consents (
  id {{id}},
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  kind TEXT NOT NULL,
  granted INTEGER NOT NULL,
  recorded_by BIGINT REFERENCES users(id),
  recorded_at BIGINT NOT NULL
);
CREATE INDEX consents_resident ON consents(resident_id, kind);

-- Chinese substring search: trigram indexes.
-- @sqlite
CREATE VIRTUAL TABLE places_fts USING fts5(name, address, code, content='places',
  content_rowid='id', tokenize='trigram');
CREATE TRIGGER places_fts_insert AFTER INSERT ON places BEGIN
  INSERT INTO places_fts(rowid, name, address, code) VALUES (new.id, new.name, new.address, new.code);
END;
CREATE TRIGGER places_fts_update AFTER UPDATE OF name, address, code ON places BEGIN
  INSERT INTO places_fts(places_fts, rowid, name, address, code)
    VALUES ('delete', old.id, old.name, old.address, old.code);
  INSERT INTO places_fts(rowid, name, address, code) VALUES (new.id, new.name, new.address, new.code);
END;
INSERT INTO places_fts(places_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE residents_fts USING fts5(name, content='residents', content_rowid='id',
  tokenize='trigram');
CREATE TRIGGER residents_fts_insert AFTER INSERT ON residents BEGIN
  INSERT INTO residents_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER residents_fts_update AFTER UPDATE OF name ON residents BEGIN
  INSERT INTO residents_fts(residents_fts, rowid, name) VALUES ('delete', old.id, old.name);
  INSERT INTO residents_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE VIRTUAL TABLE orgs_fts USING fts5(name, content='orgs', content_rowid='id', tokenize='trigram');
CREATE TRIGGER orgs_fts_insert AFTER INSERT ON orgs BEGIN
  INSERT INTO orgs_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER orgs_fts_update AFTER UPDATE OF name ON orgs BEGIN
  INSERT INTO orgs_fts(orgs_fts, rowid, name) VALUES ('delete', old.id, old.name);
  INSERT INTO orgs_fts(rowid, name) VALUES (new.id, new.name);
END;
-- @postgres
ALTER TABLE places ALTER COLUMN grid_path TYPE TEXT COLLATE "C";
ALTER TABLE orgs ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE needs ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE resources ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE projects ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE household_members ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE household_members ALTER COLUMN grid_path TYPE TEXT COLLATE "C";
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX places_search ON places USING gin ((name || ' ' || coalesce(address, '') || ' ' || coalesce(code, '')) gin_trgm_ops);
CREATE INDEX residents_search ON residents USING gin (name gin_trgm_ops);
CREATE INDEX orgs_search ON orgs USING gin (name gin_trgm_ops);
-- @all
