-- The live tally of an owners' vote (bench/owner_vote.py): the vote with its
-- sums and turnout by building, as the staff's console reads it.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("XH_STAFF_TOKEN")
request = function()
  return wrk.format("GET", "/api/owner-votes/" .. os.getenv("XH_VOTE_ID"))
end
