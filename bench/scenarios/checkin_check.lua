-- Check-ins at a festival-sized activity (bench/checkin.py): each request is
-- another volunteer's POST /api/activity-occurrences/{id}/check with the
-- leader's code (XH_CODE) and direction in, with that volunteer's API token,
-- until this run's volunteers have all scanned; then /hello until the run
-- ends. XH_REPEAT=2 sends each volunteer's scan twice, back to back on two
-- connections (the duplicates' run). Every check-in is durable: answered
-- after its commit. The tallies: each answer's result (counted, already)
-- from its body, errors by code; each scan's own latency, timed here, since
-- wrk's percentiles include the /hello after the last scan.
dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/checkin_common.lua")
local path = "/api/activity-occurrences/" .. os.getenv("XH_OCCURRENCE_ID") .. "/check"
local body = '{"code":"' .. os.getenv("XH_CODE") .. '","direction":"in"}'

request = function()
  local i = next_volunteer()
  if not i then return wrk.format("GET", "/hello") end
  sending(i)
  return wrk.format("POST", path,
                    {["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json"},
                    body)
end

response = function(status, headers, body)
  if classify(status, body) then return end
  local result = status == 200 and body:match('"result":"(%a+)"')
  if result then count(result) end
  answered(index_of[body:match('"volunteer_id":(%d+)')])
end
