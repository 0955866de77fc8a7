-- Text the server writes into the ledger and onto awards is stored as a
-- message key with its parameters too, and shown in the reader's language.
-- `memo` and `reason` keep the Chinese words: the memo is hashed into the
-- chain, and earlier rows (without a key) keep showing them as they are.
ALTER TABLE point_transactions ADD COLUMN memo_key TEXT;
ALTER TABLE point_transactions ADD COLUMN memo_params TEXT;
ALTER TABLE point_awards ADD COLUMN reason_key TEXT;
ALTER TABLE point_awards ADD COLUMN reason_params TEXT;
