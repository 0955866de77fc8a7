-- Foundation: places (the scope hierarchy), accounts, sessions, tokens, audit.
-- Times are integer milliseconds since the Unix epoch (UTC).

-- The street's hierarchy. `path` is the materialised path of ids ("/1/4/9/"),
-- so "everything under X" is a prefix match served by an index.
CREATE TABLE places (
  id {{id}},
  parent_id BIGINT REFERENCES places(id),
  kind TEXT NOT NULL CHECK (kind IN ('street','community','grid','micro_grid','compound',
                                     'building','unit','household')),
  name TEXT NOT NULL,
  code TEXT,
  path TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  archived_at BIGINT
);
CREATE INDEX places_parent ON places(parent_id);
CREATE INDEX places_path ON places(path);
CREATE UNIQUE INDEX places_code ON places(code);

CREATE TABLE users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  totp_secret TEXT,              -- sealed with the field key
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A role held over a place: the place is the role's data scope.
CREATE TABLE role_assignments (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  place_id BIGINT NOT NULL REFERENCES places(id),
  granted_by BIGINT REFERENCES users(id),
  granted_at BIGINT NOT NULL,
  UNIQUE (user_id, role, place_id)
);
CREATE INDEX role_assignments_user ON role_assignments(user_id);

-- Browser sessions; the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  ip TEXT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Bearer tokens for programs.
CREATE TABLE api_tokens (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);

-- Append-only, hash-chained audit log. hash = SHA-256(prev_hash || canonical row).
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);

-- The chain head: one row, updated with every append, which serialises writers.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The database itself refuses to change or remove audit entries.
-- @sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- @postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
-- @all
-- Paths compare byte by byte, so prefix ranges work under any locale.
-- @postgres
ALTER TABLE places ALTER COLUMN path TYPE TEXT COLLATE "C";
-- @all
