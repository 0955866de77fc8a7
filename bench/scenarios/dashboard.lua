-- The community dashboard's aggregate figures.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
wrk.path = "/api/dashboard/summary"
