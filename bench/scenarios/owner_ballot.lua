-- Owners' ballots (bench/owner_vote.py): each request is another owner's
-- ballot, with that owner's API token, until this run's owners have all voted;
-- then /hello until the run ends (the driver takes the ballots' rate from the
-- server's own times). Every ballot is durable: answered after its commit.
local first = tonumber(os.getenv("XH_TOKEN_FIRST") or "1")
local limit = tonumber(os.getenv("XH_TOKEN_LIMIT") or "0")
local vote = os.getenv("XH_VOTE_ID")
local tokens = {}
for line in io.lines(os.getenv("XH_TOKENS")) do tokens[#tokens + 1] = line end
local last = limit > 0 and math.min(#tokens, first + limit - 1) or #tokens
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  step = tonumber(os.getenv("XH_THREADS") or "2")
  nxt = first + id - 1
  statuses = {}
end

request = function()
  if nxt > last then
    return wrk.format("GET", "/hello")
  end
  local token = tokens[nxt]
  nxt = nxt + step
  return wrk.format("POST", "/api/owner-votes/" .. vote .. "/ballot",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
                    '{"choice":"agree"}')
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do all[code] = (all[code] or 0) + n end
  end
  for code, n in pairs(all) do io.write(string.format("status %d %d\n", code, n)) end
end
