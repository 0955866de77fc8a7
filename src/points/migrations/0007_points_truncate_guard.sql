-- Row triggers do not see TRUNCATE: refuse it on the ledger's tables too.
-- @postgres
CREATE TRIGGER point_transactions_no_truncate BEFORE TRUNCATE ON point_transactions
FOR EACH STATEMENT EXECUTE FUNCTION points_append_only();
CREATE TRIGGER point_postings_no_truncate BEFORE TRUNCATE ON point_postings
FOR EACH STATEMENT EXECUTE FUNCTION points_append_only();
-- @all
