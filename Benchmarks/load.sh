#!/usr/bin/env bash
# The service under load: `wrk` (Debian package) posts the same partner query to `cleanroom serve` from a second
# process on loopback, with 50 connections, on the 1,000,000-people home of query.sh (built there when missing).
# Reports throughput and latency percentiles, and checks that every answered request has its audit entry.
# Usage: Benchmarks/load.sh [SECONDS] [CONNECTIONS]   (defaults: 20 and 50)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-20}"
connections="${2:-50}"
work="$here/.build/query-1000000-10"
command -v wrk > /dev/null || { sudo apt-get install -y wrk || apt-get install -y wrk; }
[ -f "$work/ready" ] || bash "$here/query.sh" 1000000 10 3 > /dev/null

swift build -c release --package-path "$root" --product cleanroom >&2
cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"
home="$here/.build/load-home"
rm -rf "$home" && cp -a "$work/home" "$home"
# The load is one partner's: lift its per-minute allowance for the run (recorded in the log as a policy change).
sed -i 's/queries_per_minute: 120/queries_per_minute: 100000000/' "$home/policies/default.yaml"
token=$("$cleanroom" principal add alpina-outdoor --role partner --home "$home")

port=$((20000 + RANDOM % 20000))
"$cleanroom" serve --home "$home" --port "$port" > "$here/.build/load-serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/readyz" > /dev/null

lua="$here/.build/load-query.lua"
cat > "$lua" <<LUA
wrk.method = "POST"
wrk.body = '{"purpose": "ads_measurement", "groupBy": ["country"], "metrics": ["people"]}'
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
local statuses = {}
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
LUA
entries() { "$cleanroom" audit verify --home "$home" | grep -o '[0-9]* entries' | grep -o '[0-9]*'; }
before=$(entries)
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/v1/query" | tee "$here/.build/load-wrk.txt"
kill -TERM "$server"; wait "$server" || true
after=$(entries)
requests=$(grep -o '^ *[0-9]* requests in' "$here/.build/load-wrk.txt" | grep -o '[0-9]*' | head -1)
echo "audit entries added while serving: $((after - before)) for $requests requests (and the start's sweep)"
