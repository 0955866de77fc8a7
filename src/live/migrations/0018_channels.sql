-- Outbound channels (PRODUCT §8): a community's staff group robot (企业微信 or
-- 钉钉 群机器人) that receives the notices of chosen kinds about its places,
-- and the outbox of messages to send, retried until sent or given up.
CREATE TABLE channels (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('wecom','dingtalk')),
  name TEXT NOT NULL,
  url_enc TEXT NOT NULL,           -- the robot's address holds its secret: sealed
  notice_kinds TEXT NOT NULL,      -- JSON array of notice kinds forwarded
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX channels_path ON channels(path);

CREATE TABLE channel_outbox (
  id {{id}},
  channel_id BIGINT NOT NULL REFERENCES channels(id),
  body TEXT NOT NULL,              -- the JSON the robot receives
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX channel_outbox_due ON channel_outbox(status, next_at);
