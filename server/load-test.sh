#!/usr/bin/env bash
# Load test of matcalc serve over loopback (docs/http-api.md, "Load test").
# Usage: server/load-test.sh [REQUESTS=2000] [THREADS=4] [CAP_SECONDS=60] [WARMUP=500]
# Starts bin/matcalc serve on a free port, runs org.matcalc.server.LoadTest against it (first
# WARMUP requests unmeasured, then REQUESTS measured), prints requests/s and p50/p99 latency,
# stops the server. Exit status 1 if any request failed.
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
java -cp server/target/test-classes org.matcalc.server.LoadTest "$url" "${1:-2000}" "${2:-4}" "${3:-60}" "${4:-500}"
