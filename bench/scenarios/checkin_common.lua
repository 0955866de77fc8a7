-- Shared by bench/checkin.py's scenarios (checkin_signup.lua,
-- checkin_check.lua): the volunteers' tokens, each thread's share of them,
-- and the tallies that done() prints for the driver:
--   status <code> <n>          every answer, /hello included
--   tally <what> <n>           what the answers said (from their bodies)
--   own <n> <p50> <p99> <max>  the scenario's own requests' latencies (ms)
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } xh_timespec;
int clock_gettime(int clock, xh_timespec *ts);
]]

-- "token volunteer_id" a line, the i-th volunteer on the i-th line.
tokens, volunteer_ids, index_of = {}, {}, {}
for line in io.lines(os.getenv("XH_TOKENS")) do
  local token, volunteer = line:match("^(%S+)%s+(%d+)$")
  if token then
    tokens[#tokens + 1] = token
    volunteer_ids[#tokens] = volunteer
    index_of[volunteer] = #tokens
  end
end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  step = tonumber(os.getenv("XH_THREADS") or "2")
  repeats = tonumber(os.getenv("XH_REPEAT") or "1")
  nxt, sent = id, 0
  -- wrk (4.1) calls the first thread's request() once before the run to see
  -- what it returns, and sends nothing: that call must not take a volunteer.
  probed = id ~= 1
  statuses, tally, latencies, started = {}, {}, {}, {}
end

local ts = ffi.new("xh_timespec")
function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- The index of the volunteer this thread sends next (each `repeats` times
-- in a row, on as many connections), or nil once its share is sent.
function next_volunteer()
  if not probed then
    probed = true
    return nil
  end
  if nxt > #tokens then return nil end
  local i = nxt
  sent = sent + 1
  if sent >= repeats then nxt, sent = nxt + step, 0 end
  return i
end

-- Times a request of volunteer i from now until answered(i).
function sending(i)
  local q = started[i]
  if not q then
    q = {}
    started[i] = q
  end
  q[#q + 1] = now_ms()
end

function answered(i)
  local q = i and started[i]
  if q and #q > 0 then latencies[#latencies + 1] = now_ms() - table.remove(q, 1) end
end

function count(what)
  tally[what] = (tally[what] or 0) + 1
end

-- Counts an answer by its status; an error by its code. True if the answer
-- is /hello's.
function classify(status, body)
  statuses[status] = (statuses[status] or 0) + 1
  if body:find('"status":"ok"', 1, true) and body:find('"message"', 1, true) then return true end
  local code = body:match('"error":{"code":"([^"]+)"')
  if code then count("error:" .. code) end
  return false
end

local function merge(into, t)
  for k, n in pairs(t) do into[k] = (into[k] or 0) + n end
end

function done(summary, latency, requests)
  local all_status, all_tally, all_latency = {}, {}, {}
  for _, t in ipairs(threads) do
    merge(all_status, t:get("statuses"))
    merge(all_tally, t:get("tally"))
    for _, ms in ipairs(t:get("latencies")) do all_latency[#all_latency + 1] = ms end
  end
  for code, n in pairs(all_status) do io.write(string.format("status %d %d\n", code, n)) end
  for what, n in pairs(all_tally) do io.write(string.format("tally %s %d\n", what, n)) end
  local n = #all_latency
  if n > 0 then
    table.sort(all_latency)
    local function pct(p) return all_latency[math.max(1, math.ceil(n * p / 100))] end
    io.write(string.format("own %d %.3f %.3f %.3f\n", n, pct(50), pct(99), all_latency[n]))
  end
end
