-- What the audit log's reader picks from: everyone who has acted (the person
-- filter), kept as entries are appended instead of searched for in the whole
-- log, and entries by time (the date-range filter).
CREATE TABLE audit_actors (
  actor_id BIGINT PRIMARY KEY,
  actor_name TEXT NOT NULL,
  last_at BIGINT NOT NULL
);
INSERT INTO audit_actors (actor_id, actor_name, last_at)
  SELECT a.actor_id, a.actor_name, a.at FROM audit_log a
  WHERE a.actor_id IS NOT NULL
    AND a.seq = (SELECT MAX(b.seq) FROM audit_log b WHERE b.actor_id = a.actor_id);
CREATE INDEX audit_actors_last ON audit_actors(last_at);
CREATE INDEX audit_log_at ON audit_log(at);
