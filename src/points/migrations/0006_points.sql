-- Contribution points (PTS-1 … PTS-4): a double-entry ledger, earning rules
-- with caps, approval and public notice, the points exchange.

-- A resident's own login, when they have one: what they earn and spend.
ALTER TABLE residents ADD COLUMN user_id BIGINT REFERENCES users(id);
CREATE UNIQUE INDEX residents_user ON residents(user_id);

-- Accounts: residents and organisations hold points; each community issues
-- them (its issuing account goes negative), receives them when spent
-- (redemption) and when they lapse (expiry).
CREATE TABLE point_accounts (
  id {{id}},
  kind TEXT NOT NULL CHECK (kind IN ('resident','org','issuing','redemption','expiry')),
  owner_id BIGINT NOT NULL,           -- resident id, org id, or the community's place id
  community_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,                 -- data scope: the community's path
  balance BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, owner_id),
  CHECK (kind IN ('issuing','redemption','expiry') OR balance >= 0)
);
CREATE INDEX point_accounts_path ON point_accounts(path, kind);

-- Transactions, hash-chained: hash = SHA-256(prev_hash | the transaction and
-- its postings). The head row serialises writers and names the last one.
CREATE TABLE point_transactions (
  id {{id}},
  idem_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('award','redeem','refund','reversal','expiry')),
  memo TEXT NOT NULL,
  reverses_id BIGINT REFERENCES point_transactions(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE UNIQUE INDEX point_transactions_reverses ON point_transactions(reverses_id);

CREATE TABLE point_postings (
  id {{id}},
  tx_id BIGINT NOT NULL REFERENCES point_transactions(id),
  account_id BIGINT NOT NULL REFERENCES point_accounts(id),
  amount BIGINT NOT NULL CHECK (amount <> 0),
  balance_after BIGINT NOT NULL
);
CREATE INDEX point_postings_account ON point_postings(account_id, id);
CREATE INDEX point_postings_tx ON point_postings(tx_id);

CREATE TABLE point_chain_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  tx_id BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO point_chain_head (id, tx_id, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- What a resident earned and has not spent yet, oldest first: spending and
-- expiry take from the oldest lot. Not part of the ledger (it changes).
CREATE TABLE point_lots (
  id {{id}},
  account_id BIGINT NOT NULL REFERENCES point_accounts(id),
  tx_id BIGINT NOT NULL REFERENCES point_transactions(id),
  amount BIGINT NOT NULL,
  remaining BIGINT NOT NULL CHECK (remaining >= 0),
  earned_at BIGINT NOT NULL,
  expires_at BIGINT
);
CREATE INDEX point_lots_account ON point_lots(account_id, earned_at, id);
CREATE TABLE point_lot_uses (
  lot_id BIGINT NOT NULL REFERENCES point_lots(id),
  tx_id BIGINT NOT NULL REFERENCES point_transactions(id),
  amount BIGINT NOT NULL,
  PRIMARY KEY (lot_id, tx_id)
);
CREATE INDEX point_lot_uses_tx ON point_lot_uses(tx_id);

-- Earning rules per community and event kind.
CREATE TABLE point_rules (
  id {{id}},
  community_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  event_kind TEXT NOT NULL CHECK (event_kind IN ('verified_report','volunteer_hour',
                                                 'meeting_attended','wish_fulfilled','manual')),
  points BIGINT NOT NULL CHECK (points > 0),
  daily_cap BIGINT CHECK (daily_cap > 0),
  monthly_cap BIGINT CHECK (monthly_cap > 0),
  needs_approval INTEGER NOT NULL DEFAULT 0,
  notice_days INTEGER NOT NULL DEFAULT 0 CHECK (notice_days BETWEEN 0 AND 30),
  active INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL,
  UNIQUE (community_id, event_kind)
);

CREATE TABLE point_settings (
  community_id BIGINT PRIMARY KEY REFERENCES places(id),
  expiry_enabled INTEGER NOT NULL DEFAULT 0
);

-- Awards for events: one per event (its key), waiting for approval, in public
-- notice, paid, rejected, or capped.
CREATE TABLE point_awards (
  id {{id}},
  event_key TEXT NOT NULL UNIQUE,     -- "verified_report:42"
  event_kind TEXT NOT NULL,
  event_id TEXT NOT NULL,
  rule_id BIGINT REFERENCES point_rules(id),
  account_id BIGINT NOT NULL REFERENCES point_accounts(id),
  community_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  points BIGINT NOT NULL,
  reason TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending','notice','paid','rejected','capped')),
  notice_until BIGINT,
  tx_id BIGINT REFERENCES point_transactions(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT
);
CREATE INDEX point_awards_path ON point_awards(path, status, id);
CREATE INDEX point_awards_account ON point_awards(account_id, event_kind, created_at);

CREATE TABLE point_objections (
  id {{id}},
  award_id BIGINT NOT NULL REFERENCES point_awards(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','upheld','dismissed')),
  created_at BIGINT NOT NULL,
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT,
  UNIQUE (award_id, user_id)
);

-- The points exchange: what partners offer, and the vouchers redeemed.
CREATE TABLE point_items (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  community_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('service','goods')),
  price BIGINT NOT NULL CHECK (price > 0),
  stock BIGINT NOT NULL CHECK (stock >= 0),
  per_day INTEGER,
  per_month INTEGER,
  per_person INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX point_items_path ON point_items(path, active);

CREATE TABLE point_vouchers (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  item_id BIGINT NOT NULL REFERENCES point_items(id),
  account_id BIGINT NOT NULL REFERENCES point_accounts(id),
  price BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('issued','fulfilled','cancelled')),
  idem_key TEXT NOT NULL UNIQUE,
  redeem_tx_id BIGINT NOT NULL REFERENCES point_transactions(id),
  refund_tx_id BIGINT REFERENCES point_transactions(id),
  created_at BIGINT NOT NULL,
  fulfilled_at BIGINT,
  fulfilled_by BIGINT REFERENCES users(id),
  cancelled_at BIGINT
);
CREATE INDEX point_vouchers_account ON point_vouchers(account_id, item_id, created_at);
CREATE INDEX point_vouchers_item ON point_vouchers(item_id, status);

-- The database itself refuses to change or remove ledger history.
-- @sqlite
CREATE TRIGGER point_transactions_no_update BEFORE UPDATE ON point_transactions
BEGIN SELECT RAISE(ABORT, 'point_transactions is append-only'); END;
CREATE TRIGGER point_transactions_no_delete BEFORE DELETE ON point_transactions
BEGIN SELECT RAISE(ABORT, 'point_transactions is append-only'); END;
CREATE TRIGGER point_postings_no_update BEFORE UPDATE ON point_postings
BEGIN SELECT RAISE(ABORT, 'point_postings is append-only'); END;
CREATE TRIGGER point_postings_no_delete BEFORE DELETE ON point_postings
BEGIN SELECT RAISE(ABORT, 'point_postings is append-only'); END;
-- @postgres
CREATE FUNCTION points_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
CREATE TRIGGER point_transactions_no_change BEFORE UPDATE OR DELETE ON point_transactions
FOR EACH ROW EXECUTE FUNCTION points_append_only();
CREATE TRIGGER point_postings_no_change BEFORE UPDATE OR DELETE ON point_postings
FOR EACH ROW EXECUTE FUNCTION points_append_only();
ALTER TABLE point_accounts ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE point_rules ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE point_awards ALTER COLUMN path TYPE TEXT COLLATE "C";
ALTER TABLE point_items ALTER COLUMN path TYPE TEXT COLLATE "C";
-- @all
