-- One work order with its timeline, photos and the steps the caller may take.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
request = function()
  return wrk.format("GET", "/api/work-orders/" .. pick(config.orders))
end
