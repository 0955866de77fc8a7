-- The units not yet voted (bench/owner_vote.py), a page of 20 by building and
-- unit, as a building leader's or the staff's phone reads it.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("XH_STAFF_TOKEN")
request = function()
  return wrk.format("GET", "/api/owner-votes/" .. os.getenv("XH_VOTE_ID") .. "/pending?limit=20")
end
