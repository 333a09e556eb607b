#!/usr/bin/env bash
# The service under load: `wrk` (Debian package) posts partner queries to `cleanroom serve` from a second process on
# loopback, with 50 connections, on the 1,000,000-people home of query.sh (built there when missing), in two runs:
#   same  — one dashboard query, again and again;
#   mix   — six different queries in turn (breakdowns, a segment, metrics, two purposes), so that several answers are computed
#           every second.
# The service computes an identical query on an unchanged index once a second; every request is still checked,
# guarded, audited and recorded on its own. After a warm-up request per query, each run reports throughput, latency
# percentiles and statuses, and the audit entries written during it, which must be at least the requests answered.
# Usage: Benchmarks/load.sh [SECONDS] [CONNECTIONS]   (defaults: 20 and 50)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
seconds="${1:-20}"
connections="${2:-50}"
command -v wrk > /dev/null || { sudo apt-get install -y wrk || apt-get install -y wrk; }

swift build -c release --package-path "$root" --product cleanroom >&2
cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"
source "$here/serve-home.sh"
serve_home load

# The queries: the first alone for "same", all of them in turn for "mix".
queries=(
  '{"purpose": "ads_measurement", "groupBy": ["country"], "metrics": ["people"]}'
  '{"purpose": "ads_measurement", "groupBy": ["age_band"], "metrics": ["people", "amount_sum"]}'
  '{"purpose": "ads_measurement", "groupBy": ["loyalty_tier"], "metrics": ["people", "events", "amount_avg"]}'
  '{"purpose": "ads_measurement", "groupBy": ["country", "age_band"], "metrics": ["people", "conversion_rate"]}'
  '{"purpose": "ads_measurement", "segment": "champions", "groupBy": ["country"], "metrics": ["people"]}'
  '{"purpose": "ads_personalization", "groupBy": ["age_band", "loyalty_tier"], "metrics": ["people"]}'
)
entries() { "$cleanroom" audit verify --home "$home" | grep -o '[0-9]* entries' | grep -o '[0-9]*'; }
lua_bodies() { local first=1; for query in "$@"; do [ $first = 1 ] || printf ','; first=0; printf "'%s'" "$query"; done; }

results="$here/.build/load-results.txt"
: > "$results"
run() {
  local name="$1"; shift
  local lua="$here/.build/load-$name.lua" out="$here/.build/load-$name.txt"
  for query in "$@"; do
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "$query" "http://127.0.0.1:$port/v1/query")
    [ "$status" = 200 ] || { echo "warm-up query answered $status: $query" >&2; exit 1; }
  done
  cat > "$lua" <<LUA
local bodies = {$(lua_bodies "$@")}
local next_body = 0
statuses = {}
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + count end
  end
  local line = "statuses:"
  for status, count in pairs(totals) do line = line .. " " .. status .. "=" .. count end
  print(line)
end
LUA
  local before; before=$(entries)
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/v1/query" | tee "$out"
  local after; after=$(entries)
  local requests rate p50 p99 statuses
  requests=$(grep -o '^ *[0-9]* requests in' "$out" | grep -o '[0-9]*' | head -1)
  rate=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  statuses=$(grep '^statuses:' "$out" | cut -d: -f2)
  printf '%-5s %6d queries %10s q/s  p50 %9s  p99 %9s  statuses%s  audit entries %d (>= answered)\n' \
    "$name" "$requests" "$rate" "$p50" "$p99" "$statuses" "$((after - before))" >> "$results"
}
run same "${queries[0]}"
run mix "${queries[@]}"
kill -TERM "$server"; wait "$server" || true
echo
echo "POST /v1/query, $connections connections, ${seconds} s per run, 1,000,000 people:"
cat "$results"
