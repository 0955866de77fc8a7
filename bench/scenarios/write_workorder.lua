-- A durable write: a report is filed (routed, deadline set, recurrence
-- checked, escalation scheduled, timeline and audit written) and committed
-- before the answer. Filed by the street administrator into another
-- community than the one the read scenarios measure.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
wrk.headers["Cookie"] = "xh_session=" .. config.writer_session
wrk.headers["X-CSRF-Token"] = config.writer_csrf
wrk.headers["Content-Type"] = "application/json"
local categories = {"clutter", "dirty_hallway", "small_ads", "lighting", "lift"}
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"category":"' .. pick(categories) .. '","place_id":' .. pick(config.write_buildings) ..
               ',"text":"压测诉求 ' .. counter .. '"}'
  return wrk.format("POST", "/api/work-orders", nil, body)
end
