-- wrk script for server/load-test.sh: POSTs the lines of $MATCALC_MIX (one JSON request each)
-- to /api/derive in turn, and prints the latency percentiles and the count of non-200 answers.
local bodies = {}
for line in io.lines(os.getenv("MATCALC_MIX")) do
  bodies[#bodies + 1] = line
end
local i = 0
local headers = { ["Content-Type"] = "application/json" }

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/derive", headers, bodies[i])
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format("cheap derive (wrk): %d requests in %.2f s: %.0f requests/s, latency p50 %.2f ms,"
      .. " p99 %.2f ms, max %.2f ms, %d errors\n", summary.requests, summary.duration / 1e6,
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, errors))
end
