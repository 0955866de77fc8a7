-- One resident's details (decrypted, masked for the caller).
local config = dofile(os.getenv("XH_BENCH_DIR") .. "/scenarios/common.lua")
request = function()
  return wrk.format("GET", "/api/residents/" .. pick(config.residents))
end
