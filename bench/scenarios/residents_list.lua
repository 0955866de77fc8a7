-- A community administrator's filtered list: 20 residents of one building,
-- with the total, masking and household names, as the console asks for it.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
request = function()
  return wrk.format("GET", "/api/residents?limit=20&under_id=" .. pick(config.buildings))
end
