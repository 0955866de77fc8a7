-- A resident's statement: the latest 20 postings with running balance.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
wrk.headers["Cookie"] = "xh_session=" .. config.resident_session
request = function()
  return wrk.format("GET", "/api/points/accounts/" .. config.point_account .. "/statement?limit=20")
end
