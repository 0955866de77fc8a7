-- What each account earned per month (Beijing time), kept with every award and
-- reversal, so the leaderboard reads a few rows instead of the month's postings.
CREATE TABLE point_earned_monthly (
  account_id BIGINT NOT NULL REFERENCES point_accounts(id),
  community_id BIGINT NOT NULL REFERENCES places(id),
  month INTEGER NOT NULL,             -- 202611
  points BIGINT NOT NULL,
  PRIMARY KEY (account_id, month)
);
CREATE INDEX point_earned_monthly_community ON point_earned_monthly(community_id, month);
-- @sqlite
INSERT INTO point_earned_monthly (account_id, community_id, month, points)
  SELECT pp.account_id, a.community_id,
         CAST(strftime('%Y%m', t.created_at / 1000 + 8 * 3600, 'unixepoch') AS INTEGER), SUM(pp.amount)
  FROM point_postings pp JOIN point_transactions t ON t.id = pp.tx_id
  JOIN point_accounts a ON a.id = pp.account_id
  WHERE a.kind = 'resident' AND t.kind IN ('award','reversal')
  GROUP BY pp.account_id, a.community_id, 3;
-- @postgres
INSERT INTO point_earned_monthly (account_id, community_id, month, points)
  SELECT pp.account_id, a.community_id,
         CAST(to_char(to_timestamp(t.created_at / 1000 + 8 * 3600) AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER),
         SUM(pp.amount)
  FROM point_postings pp JOIN point_transactions t ON t.id = pp.tx_id
  JOIN point_accounts a ON a.id = pp.account_id
  WHERE a.kind = 'resident' AND t.kind IN ('award','reversal')
  GROUP BY pp.account_id, a.community_id, 3;
-- @all
