-- Facts the server keeps about its own database: the check value of the field
-- key that seals its personal data (so that a wrong or missing key is refused
-- at start instead of answering 500 later), whether the demo street is loaded.
CREATE TABLE server_facts (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- A database where the demo street was loaded before this table existed.
INSERT INTO server_facts (key, value)
  SELECT 'demo_loaded', '1' WHERE EXISTS (SELECT 1 FROM places WHERE code = 'NC');
