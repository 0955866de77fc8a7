-- A durable write: a community need is recorded with its audit entry, committed
-- to disk before the answer. Written by the street administrator into another
-- community than the one the read scenarios measure.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
wrk.headers["Cookie"] = "xh_session=" .. config.writer_session
wrk.headers["X-CSRF-Token"] = config.writer_csrf
wrk.headers["Content-Type"] = "application/json"
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"place_id":' .. config.write_place .. ',"category":"elderly","title":"压测需求 ' .. counter .. '"}'
  return wrk.format("POST", "/api/needs", nil, body)
end
