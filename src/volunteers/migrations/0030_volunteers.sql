-- Volunteers (VOL-1, VOL-2): people registered with their community
-- (报到在社区) who serve in its compounds (服务在小区), the teams they form
-- on the partners' volunteer-team organisations, the Party branches of
-- partners registered with a community (双报到), and the activities the
-- teams run — one-off or recurring — with sign-ups, a waitlist, check-in and
-- check-out, and the hours the team leader confirms.

CREATE TABLE volunteers (
  id {{id}},
  user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
  community_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,                   -- the community's: who manages the volunteer
  skills TEXT NOT NULL DEFAULT '[]',    -- JSON array of short texts
  availability TEXT NOT NULL DEFAULT '',
  serves TEXT NOT NULL DEFAULT '[]',    -- JSON array of the compound ids they serve in
  branch_id BIGINT,                     -- the Party branch they report from (双报到)
  status TEXT NOT NULL CHECK (status IN ('applied','confirmed','declined')),
  reason TEXT,                          -- why declined: the applicant reads it
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  confirmed_minutes BIGINT NOT NULL DEFAULT 0,  -- kept with the confirmed sign-ups
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX volunteers_path ON volunteers(path, status);
CREATE INDEX volunteers_branch ON volunteers(branch_id);

-- A partner's Party branch registered with a community (双报到); its Party
-- members register as volunteers where they live, naming it.
CREATE TABLE party_branches (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs(id),
  community_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  secretary TEXT,
  registered_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (org_id, community_id)
);
CREATE INDEX party_branches_path ON party_branches(path);

-- A team: one of the partners' volunteer-team organisations, at the place it
-- serves from, with its kind of service and its leader.
CREATE TABLE volunteer_teams (
  id {{id}},
  org_id BIGINT NOT NULL UNIQUE REFERENCES orgs(id),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  service TEXT NOT NULL,                -- a key of the label set volunteer.service
  places TEXT NOT NULL DEFAULT '[]',    -- JSON array of the place ids it serves
  leader_id BIGINT REFERENCES volunteers(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX volunteer_teams_path ON volunteer_teams(path);

CREATE TABLE team_members (
  team_id BIGINT NOT NULL REFERENCES volunteer_teams(id),
  volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (team_id, volunteer_id)
);
CREATE INDEX team_members_volunteer ON team_members(volunteer_id);

-- An activity: a team's, at a place; held once (no rule) or by an RFC 5545
-- recurrence rule from its first date, at each of its times of day (Beijing
-- time), for its duration; its exceptions are the occurrences cancelled.
CREATE TABLE activities (
  id {{id}},
  team_id BIGINT NOT NULL REFERENCES volunteer_teams(id),
  place_id BIGINT NOT NULL REFERENCES places(id),
  path TEXT NOT NULL,
  grid_path TEXT,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  address TEXT,
  first_date TEXT NOT NULL,             -- YYYY-MM-DD
  times TEXT NOT NULL,                  -- JSON array of "HH:MM"
  duration_minutes INTEGER NOT NULL,
  rrule TEXT,                           -- RFC 5545 RRULE value; none: held once
  exdates TEXT NOT NULL DEFAULT '[]',   -- JSON array of cancelled starts (ms)
  capacity INTEGER NOT NULL,
  open_to_all INTEGER NOT NULL DEFAULT 0,   -- not only the team's members
  cancel_cutoff_minutes INTEGER NOT NULL,   -- a volunteer cancels until this long before
  window_minutes INTEGER NOT NULL,          -- check-in and check-out around start and end
  status TEXT NOT NULL CHECK (status IN ('active','cancelled')),
  ends_at BIGINT,                       -- after its last occurrence; none: no end
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX activities_path ON activities(path, status);
CREATE INDEX activities_team ON activities(team_id);

-- An occurrence that someone signed up for (made on the first sign-up).
CREATE TABLE activity_occurrences (
  id {{id}},
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity INTEGER NOT NULL,
  signed INTEGER NOT NULL DEFAULT 0,    -- kept with the sign-ups holding a place
  cancelled_at BIGINT,
  checkin_secret TEXT NOT NULL,         -- the leader's rotating code
  UNIQUE (activity_id, starts_at)
);

-- A volunteer's sign-up for an occurrence: a place, or a place in the
-- waitlist (in order of id); checked in and out; hours confirmed.
CREATE TABLE activity_signups (
  id {{id}},
  occurrence_id BIGINT NOT NULL REFERENCES activity_occurrences(id),
  volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
  status TEXT NOT NULL CHECK (status IN ('signed','waiting','cancelled')),
  secret TEXT NOT NULL,                 -- the volunteer's rotating code
  checked_in_at BIGINT,
  checked_in_by BIGINT REFERENCES users(id),
  checked_out_at BIGINT,
  checked_out_by BIGINT REFERENCES users(id),
  closed_by_leader INTEGER NOT NULL DEFAULT 0,
  minutes INTEGER,                      -- computed at check-out
  confirmed_minutes INTEGER,
  confirm_reason TEXT,                  -- why the leader changed the computed minutes
  confirmed_by BIGINT REFERENCES users(id),
  confirmed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (occurrence_id, volunteer_id)
);
CREATE INDEX activity_signups_volunteer ON activity_signups(volunteer_id, confirmed_at);
CREATE INDEX activity_signups_waiting ON activity_signups(occurrence_id, status, id);

-- Secret calendar feed URLs (revocable): a team's activities or a
-- volunteer's sign-ups, for calendar apps. Only the token's hash is kept.
CREATE TABLE calendar_feeds (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('team','volunteer')),
  subject_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX calendar_feeds_user ON calendar_feeds(user_id);
