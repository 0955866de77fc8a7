-- The community's work-order list as the console asks for it: one status
-- filter (or none), newest first, a page of 20, with the total.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
local statuses = {"", "&status=submitted", "&status=in_progress", "&status=closed", "&overdue=true",
                  "&category=lift", "&category=dirty_hallway&status=closed"}
request = function()
  return wrk.format("GET", "/api/work-orders?limit=20" .. pick(statuses))
end
