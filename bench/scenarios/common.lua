-- Shared by every scenario: the session of the benchmark login and the ids to
-- pick from, written by bench/run.py into the file named by XH_BENCH_CONFIG.
local config = dofile(os.getenv("XH_BENCH_CONFIG"))

wrk.headers["Cookie"] = "xh_session=" .. config.session
wrk.headers["X-CSRF-Token"] = config.csrf
wrk.headers["Accept"] = "application/json"

function pick(list)
  return list[math.random(#list)]
end

return config
