-- wrk script for server/load-test.sh: GET /api/health every 50 ms on one connection, and its latency.
delay = function()
  return 50
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format("health (wrk): %d requests in %.2f s, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors\n",
      summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, errors))
end
