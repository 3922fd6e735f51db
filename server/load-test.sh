#!/usr/bin/env bash
# Load test of matcalc serve over loopback (docs/http-api.md, "Load test").
# Usage: server/load-test.sh [REQUESTS=2000] [THREADS=4] [CAP_SECONDS=60] [WARMUP=500]
#        server/load-test.sh isolation [SECONDS=60] [CHEAP=8] [HEAVY=2]
# Starts bin/matcalc serve on a free port, runs org.matcalc.server.LoadTest against it (first
# WARMUP requests unmeasured, then REQUESTS measured), prints requests/s and p50/p99 latency,
# stops the server. Exit status 1 if any request failed.
# "isolation": cheap requests on CHEAP connections (wrk) for SECONDS while HEAVY more send
# expensive order-2 requests and health is asked every 50 ms; prints the server's resident
# memory after the warm-up, right after the load and 30 s after it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -pl server -am test-compile >/dev/null
out="$(mktemp)"
bin/matcalc serve --port 0 >"$out" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
url=""
for _ in $(seq 1 300); do
  url="$(grep -o 'http://[0-9.]*:[0-9]*/' "$out" | head -n 1 || true)"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; exit 1; }
  sleep 0.2
done
[ -n "$url" ] || { echo "the server did not start" >&2; cat "$out" >&2; exit 1; }
echo "server: $url (bin/matcalc serve, $(nproc) cores; other work on this machine affects the figures)"
rss() { awk '/VmRSS/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status"; }
if [ "${1:-}" = isolation ]; then
  # cheap requests from wrk (a C load generator: the JVM's HTTP client would be the bottleneck),
  # expensive ones and the health checks from LoadTest, all at once
  command -v wrk >/dev/null || { echo "isolation needs wrk (apt-get install wrk)" >&2; exit 1; }
  seconds="${2:-60}"
  mix="$(mktemp)"
  java -cp server/target/test-classes org.matcalc.server.LoadTest "$url" mix >"$mix"
  MATCALC_MIX="$mix" wrk -t2 -c"${3:-8}" -d10s -s server/wrk-mix.lua "$url" >/dev/null # warm-up
  sleep 5
  before="$(rss)"
  java -cp server/target/test-classes org.matcalc.server.LoadTest "$url" isolation "$seconds" 0 "${4:-2}" >"$mix.heavy" &
  heavy=$!
  sleep 1
  wrk -t1 -c1 -d"$((seconds - 2))s" -s server/wrk-health.lua "${url}api/health" >"$mix.health" &
  health=$!
  MATCALC_MIX="$mix" wrk -t2 -c"${3:-8}" -d"$((seconds - 2))s" -s server/wrk-mix.lua "$url" | grep 'cheap derive'
  status=0
  wait "$heavy" || status=$?
  wait "$health" || true
  grep 'health (wrk)' "$mix.health"
  grep -E 'expensive' "$mix.heavy"
  echo "resident memory: before $before, right after $(rss)"
  sleep 30
  echo "resident memory 30 s after: $(rss)"
  rm -f "$mix" "$mix.heavy" "$mix.health"
  exit "$status"
fi
java -cp server/target/test-classes org.matcalc.server.LoadTest "$url" "${1:-2000}" "${2:-4}" "${3:-60}" "${4:-500}"
