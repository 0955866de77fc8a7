-- A durable ledger write: the community awards a resident points (rule, caps,
-- award row, two postings, the hash chain advanced, the audit entry), committed
-- before the answer. Each request has its own idempotency key.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local run = tostring(os.time())
request = function()
  counter = counter + 1
  local body = '{"resident_id":' .. pick(config.point_residents) .. ',"points":1,"reason":"压测",' ..
               '"idempotency_key":"bench-' .. run .. '-' .. counter .. '"}'
  return wrk.format("POST", "/api/points/awards", nil, body)
end
