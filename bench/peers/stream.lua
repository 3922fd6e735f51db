-- wrk script for bench/run-peers: POST /api/derive cycling through the lines of the file named
-- by the environment variable STREAM (one JSON request per line), and a p99 in the summary.
local lines = {}
for line in io.lines(os.getenv("STREAM")) do
  if #line > 0 then lines[#lines + 1] = line end
end
local i = 0
request = function()
  i = i % #lines + 1
  return wrk.format("POST", "/api/derive", {["Content-Type"] = "application/json"}, lines[i])
end
local not200 = 0
response = function(status, headers, body)
  if status ~= 200 then not200 = not200 + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format('{"problem": "serve, %d requests with values", "size": "wrk, %s", "peer": "matcalc", ' ..
    '"requests_per_s": %.0f, "p50_ms": %.2f, "p99_ms": %.2f, "not_200": %d, "answered": %d}\n',
    #lines, os.getenv("WRK_SHAPE") or "", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.requests))
end
