-- Micro-wishes (微心愿, VOL-5), home services (VOL-4) and 红管家 stewards
-- (VOL-6).

-- A wish posted for a resident in need, by staff or by the resident: staff
-- review it before anyone else sees it, and publish it in words of their own
-- without identifying details; one partner or volunteer claims it (released
-- when not fulfilled in time), fulfils it with evidence, staff confirm, the
-- resident thanks.
CREATE TABLE wishes (
  id {{id}},
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,                   -- the household's: who manages it
  public_path TEXT NOT NULL,            -- the compound's (or community's): who sees it published
  title TEXT NOT NULL,                  -- as asked
  body TEXT NOT NULL,
  public_title TEXT,                    -- as published: no name, no address
  public_body TEXT,
  status TEXT NOT NULL CHECK (status IN ('submitted','rejected','published','claimed','fulfilled','confirmed')),
  posted_by BIGINT NOT NULL REFERENCES users(id),
  reason TEXT,                          -- why rejected
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  claimed_by BIGINT REFERENCES users(id),
  claimed_org_id BIGINT REFERENCES orgs(id),
  claimed_at BIGINT,
  claim_due_at BIGINT,
  fulfil_note TEXT,
  photos TEXT NOT NULL DEFAULT '[]',    -- the evidence
  fulfilled_at BIGINT,
  confirmed_by BIGINT REFERENCES users(id),
  confirmed_at BIGINT,
  thanks TEXT,
  thanked_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX wishes_path ON wishes(path, status);
CREATE INDEX wishes_public ON wishes(public_path, status);
CREATE INDEX wishes_claimed ON wishes(claimed_by);

-- A home service for a resident with a special-care tag: requested by them,
-- their household or staff; assigned to a team or a volunteer; done with a
-- note or photos; rated. A visit plan makes one every N days, and a visit
-- not done by its due time alerts the community's staff.
CREATE TABLE home_visit_plans (
  id {{id}},
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  kind TEXT NOT NULL,
  need TEXT NOT NULL,
  team_id BIGINT REFERENCES volunteer_teams(id),
  volunteer_id BIGINT REFERENCES volunteers(id),
  every_days INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE home_services (
  id {{id}},
  resident_id BIGINT NOT NULL REFERENCES residents(id),
  household_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  grid_path TEXT,
  kind TEXT NOT NULL,                   -- label set homeservice.kind
  need TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested','assigned','done','cancelled')),
  requested_by BIGINT NOT NULL REFERENCES users(id),
  plan_id BIGINT REFERENCES home_visit_plans(id),
  team_id BIGINT REFERENCES volunteer_teams(id),
  volunteer_id BIGINT REFERENCES volunteers(id),
  due_at BIGINT,                        -- a planned visit: done by then, or staff are alerted
  alerted_at BIGINT,
  done_by BIGINT REFERENCES users(id),
  done_at BIGINT,
  note TEXT,
  photos TEXT NOT NULL DEFAULT '[]',
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT,
  rated_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX home_services_path ON home_services(path, status);
CREATE INDEX home_services_volunteer ON home_services(volunteer_id, status);
CREATE INDEX home_services_team ON home_services(team_id, status);

-- 红管家: the stewards of a building, its residents' first contact.
CREATE TABLE stewards (
  id {{id}},
  building_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,                   -- the building's
  user_id BIGINT NOT NULL REFERENCES users(id),
  assigned_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (building_id, user_id)
);
CREATE INDEX stewards_user ON stewards(user_id);
