-- 20 households of one unit, filtered by kind, with the total.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
request = function()
  return wrk.format("GET", "/api/places?kind=household&limit=20&parent_id=" .. pick(config.units))
end
