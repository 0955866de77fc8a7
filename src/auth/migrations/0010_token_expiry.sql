-- API tokens expire (the server's --token-max-age-days, 90 by default);
-- tokens made before keep 90 days from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
UPDATE api_tokens SET expires_at = created_at + 7776000000;  -- 90 days in ms
