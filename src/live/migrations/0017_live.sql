-- The live layer (PRODUCT §8): what happened, for the live connections of
-- every server process (each process reads what it has not delivered yet;
-- ids order them), kept a day for clients that reconnect and resume.
CREATE TABLE live_events (
  id {{id}},
  topic TEXT NOT NULL,             -- "work_order:12", "inbox:7"
  kind TEXT NOT NULL,              -- the domain event ("workorder.changed"), or "inbox.new"
  data TEXT NOT NULL,              -- JSON: ids and codes only; subscribers read the rest
  created_at BIGINT NOT NULL
);
CREATE INDEX live_events_topic ON live_events(topic, id);
CREATE INDEX live_events_at ON live_events(created_at);

-- The inbox (站内信): notices to one user, written by the handlers of domain
-- events; the text is a message key with its parameters, read in the reader's
-- language.
CREATE TABLE notifications (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,              -- "workorder.status"
  subject_type TEXT,               -- what it is about ("work_order"), for the link
  subject_id BIGINT,
  text_key TEXT NOT NULL,
  params TEXT NOT NULL,            -- JSON object
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, read_at);
