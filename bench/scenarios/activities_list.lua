-- A community's activity list as the console asks for it: the activities at,
-- over or under the community, newest first, a page of 20 with the total and
-- each one's next occurrence (expanded by libical).
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
request = function()
  return wrk.format("GET", "/api/activities?limit=20&place_id=" .. config.community)
end
