-- Owners' votes (GOV-5): the marks staff keep on the roll, the votes, the
-- roll each vote froze when it opened, and one ballot per owner.

-- Who owns a household, as the count sees it: the developer's unsold or
-- undelivered units count as one owner; units of one buyer share a buyer key
-- (within the compound). Unmarked, a household is one owner.
CREATE TABLE roll_marks (
  household_id BIGINT PRIMARY KEY REFERENCES places(id),
  developer INTEGER NOT NULL DEFAULT 0,
  buyer TEXT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT REFERENCES users(id)
);

CREATE TABLE owner_votes (
  id {{id}},
  place_id BIGINT NOT NULL REFERENCES places(id),   -- a compound or a building
  path TEXT NOT NULL,
  title TEXT NOT NULL,
  matter TEXT NOT NULL,                -- Civil Code Article 278's item (votes/tally.h)
  secret INTEGER NOT NULL,             -- who voted is shown, how never is kept
  status TEXT NOT NULL CHECK (status IN ('draft','open','closed')),
  closes_at BIGINT NOT NULL,           -- the deadline announced
  total_area BIGINT,                   -- the frozen roll's totals (from the opening)
  total_owners BIGINT,
  participating_area BIGINT NOT NULL DEFAULT 0,
  participating_owners BIGINT NOT NULL DEFAULT 0,
  agreeing_area BIGINT NOT NULL DEFAULT 0,
  agreeing_owners BIGINT NOT NULL DEFAULT 0,
  passed INTEGER,                      -- at the close
  opened_at BIGINT,
  closed_at BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX owner_votes_path ON owner_votes(path);

-- The roll as it stood when the vote opened: later changes do not move the
-- count. Its names and order are kept with it, and whether its owner has
-- voted, so that the units still to visit are read a page at a time.
CREATE TABLE owner_vote_roll (
  vote_id BIGINT NOT NULL REFERENCES owner_votes(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  ordinal INTEGER NOT NULL,            -- by building, unit and household, 2号楼 before 10号楼
  path TEXT NOT NULL,                  -- the household's and its grid's, for the building leaders'
  grid_path TEXT,                      -- and grid workers' scope
  building_id BIGINT REFERENCES places(id),
  building TEXT,
  unit TEXT,
  household TEXT NOT NULL,
  area BIGINT NOT NULL,                -- 0.01 m²
  owner_key TEXT NOT NULL,             -- "h:<household>", "buyer:<key>" or "developer"
  voted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (vote_id, household_id)
);
CREATE INDEX owner_vote_roll_owner ON owner_vote_roll(vote_id, owner_key);
-- (covering the scope's columns: the units not yet voted are counted from the index alone)
CREATE INDEX owner_vote_roll_pending ON owner_vote_roll(vote_id, voted, ordinal, path, grid_path);

-- Turnout by building, kept as ballots come: the live tally reads a row a building.
CREATE TABLE owner_vote_turnout (
  vote_id BIGINT NOT NULL REFERENCES owner_votes(id),
  building_key BIGINT NOT NULL,        -- the building's id; 0 for households outside any building
  building TEXT,
  ordinal INTEGER NOT NULL,
  units BIGINT NOT NULL,
  area BIGINT NOT NULL,
  voted_units BIGINT NOT NULL DEFAULT 0,
  voted_area BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (vote_id, building_key)
);

-- One ballot per owner (the primary key decides between two at once). A
-- secret vote's ballot holds no choice: only the vote's sums know it.
CREATE TABLE owner_ballots (
  vote_id BIGINT NOT NULL REFERENCES owner_votes(id),
  owner_key TEXT NOT NULL,
  choice TEXT CHECK (choice IN ('agree','disagree','abstain')),
  channel TEXT NOT NULL CHECK (channel IN ('app','paper','proxy')),
  cast_by BIGINT REFERENCES users(id),
  receipt_hash TEXT NOT NULL,          -- sha256 of the receipt code the owner was given
  cast_at BIGINT NOT NULL,
  PRIMARY KEY (vote_id, owner_key)
);

-- Paper ballots and written proxies (委托), as staff enter them. A paper
-- ballot counts once a second staff member, reading the same paper, enters
-- the same choice (a different one: disputed, for a third look). A proxy
-- counts at the close, unless the owner voted themselves (their own vote
-- wins: the proxy is superseded, and shown so). The choice is cleared from a
-- secret vote's entry once it counts, and from any entry superseded or refused.
CREATE TABLE owner_paper_entries (
  id {{id}},
  vote_id BIGINT NOT NULL REFERENCES owner_votes(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  owner_key TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('paper','proxy')),
  choice TEXT CHECK (choice IN ('agree','disagree','abstain')),
  proxy_name TEXT,                     -- who holds the written proxy
  -- pending: entered once; disputed: the second entry differs; confirmed: a proxy
  -- awaiting the close; counted; superseded: the owner voted themselves; refused.
  status TEXT NOT NULL CHECK (status IN ('pending','disputed','confirmed','counted','superseded','refused')),
  note TEXT,                           -- why disputed, refused or superseded: a key of owner_vote.entry_note
  entered_by BIGINT NOT NULL REFERENCES users(id),
  entered_at BIGINT NOT NULL,
  confirmed_by BIGINT REFERENCES users(id),
  confirmed_at BIGINT,
  receipt_hash TEXT                    -- of the receipt handed over at the confirmation
);
CREATE INDEX owner_paper_entries_vote ON owner_paper_entries(vote_id, status);
