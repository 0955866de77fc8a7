-- The community's leaderboard for the month.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
request = function()
  return wrk.format("GET", "/api/points/leaderboard?period=month&community_id=" .. config.community)
end
