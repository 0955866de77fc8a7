-- Room screens (投屏, PRODUCT §8): a meeting hall's big screen, a festival
-- station. Staff make a display bound to one live topic; a screen pairs with
-- it by showing a code (and its QR) that staff confirm from their phone. The
-- screen holds a token of its own making; only its hash is kept here.
CREATE TABLE displays (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  topic TEXT NOT NULL,             -- "work_order:12": the one thing it shows
  token_hash TEXT UNIQUE,          -- the paired screen's; none before pairing and after revoking
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  paired_at BIGINT,
  last_seen_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX displays_path ON displays(path);

-- A screen waiting to be paired: the code it shows, for ten minutes.
CREATE TABLE display_pairings (
  code TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
