-- Sign-ups for a festival-sized activity (bench/checkin.py): each request is
-- another volunteer's POST /api/activities/{id}/signups {starts_at}, with that
-- volunteer's API token, until this run's volunteers have all signed up; then
-- /hello until the run ends (the driver takes the sign-ups' rate from the
-- server's own times). Every sign-up is durable: answered after its commit.
-- The tallies: signed and waiting from the answers' bodies, errors by code.
dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/checkin_common.lua")
local path = "/api/activities/" .. os.getenv("XH_ACTIVITY_ID") .. "/signups"
local body = '{"starts_at":"' .. os.getenv("XH_STARTS_AT") .. '"}'

request = function()
  local i = next_volunteer()
  if not i then return wrk.format("GET", "/hello") end
  return wrk.format("POST", path,
                    {["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json"},
                    body)
end

response = function(status, headers, body)
  if classify(status, body) then return end
  local placed = status == 201 and body:match('"status":"(%a+)"')
  if placed then count(placed) end
end
