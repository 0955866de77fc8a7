-- A durable redemption: stock and points in one transaction, a voucher back.
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
wrk.headers["Cookie"] = "xh_session=" .. config.resident_session
wrk.headers["X-CSRF-Token"] = config.resident_csrf
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local run = tostring(os.time())
request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/points/items/" .. config.point_item .. "/redeem", nil,
                    '{"idempotency_key":"bench-' .. run .. '-' .. counter .. '"}')
end
