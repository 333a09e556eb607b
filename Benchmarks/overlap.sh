#!/usr/bin/env bash
# The overlap benchmark: a partner uploads 1,000,000 match hashes to `cleanroom serve` and asks for its overlap with
# the owner's 1,000,000 people (the home of query.sh), over HTTP on loopback, end to end; DuckDB answers the same
# overlap from the same hash list joined with the owner's hashed e-mails (peers/overlap_peer.py).
# Usage: Benchmarks/overlap.sh [RUNS]   (default: 5)
#
# The partner list (kept in Benchmarks/.build/overlap-1000000): half of it the e-mail hashes of the owner's
# customers (`cleanroom hash`, Google profile), half random hashes, shuffled. CleanRoom's figure is the upload
# (parse, pseudonymize, store, audit) plus the overlap answer (match, count, privacy contract, audit); DuckDB's is
# reading the list and joining it with a table of the consenting customers' hashes loaded beforehand.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs="${1:-5}"
data="$here/.build/overlap-1000000"
venv="$here/.peers"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import duckdb" 2> /dev/null || "$venv/bin/pip" install -q duckdb

swift build -c release --package-path "$root" --product cleanroom >&2
cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"

# The lists, once: the customers of query.sh's data set again (same seed and end: the same people), their e-mails
# hashed, and the partner's list drawn from them.
if [ ! -f "$data/ready" ]; then
    rm -rf "$data" && mkdir -p "$data/generated"
    "$cleanroom" demo generate --customers 1000000 --events-per-customer 1 --seed 7 --end-date 2026-11-01 \
        --out "$data/generated" 2> /dev/null
    "$venv/bin/python" "$here/peers/overlap_peer.py" emails "$data/generated/customers.jsonl" "$data"
    "$cleanroom" hash --kind email --keep-rows --output "$data/email-hashes.txt" "$data/emails.txt" 2> /dev/null
    "$venv/bin/python" "$here/peers/overlap_peer.py" lists "$data" 1000000 7
    rm -rf "$data/generated"
    touch "$data/ready"
fi

source "$here/serve-home.sh"
serve_home overlap

results="$here/.build/overlap-cleanroom.jsonl"
: > "$results"
overlap='{"purpose": "partner_matching", "metrics": ["people"]}'
for run in $(seq 0 "$runs"); do
    start=$(date +%s%N)
    # `Expect:` stops curl from asking for a 100 Continue first (the service sends none, so curl would wait 1 s).
    audience=$(curl -sf -X POST -H 'Expect:' -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' \
        --data-binary @"$data/partner.txt" "http://127.0.0.1:$port/v1/audiences" |
        "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    uploaded=$(date +%s%N)
    answer=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "$overlap" "http://127.0.0.1:$port/v1/audiences/$audience/overlap")
    answered=$(date +%s%N)
    people=$(echo "$answer" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["total"]["people"])')
    # The first run is a warm-up.
    [ "$run" = 0 ] || printf '{"run": %d, "upload_ms": %d, "overlap_ms": %d, "people": %s}\n' "$run" \
        $(((uploaded - start) / 1000000)) $(((answered - uploaded) / 1000000)) "$people" >> "$results"
done
kill -TERM "$server"; wait "$server" || true

"$venv/bin/python" "$here/peers/overlap_peer.py" join "$data" "$runs" > "$here/.build/overlap-duckdb.jsonl"
"$venv/bin/python" - "$results" "$here/.build/overlap-duckdb.jsonl" <<'PY'
import json, statistics, sys
ours = [json.loads(line) for line in open(sys.argv[1])]
duck = [json.loads(line) for line in open(sys.argv[2])]
summary = duck[-1]
median = lambda key: statistics.median(run[key] for run in ours)
total = statistics.median(run["upload_ms"] + run["overlap_ms"] for run in ours)
print("1,000,000 partner hashes against 1,000,000 people, median of %d runs:" % len(ours))
print("%-34s %10s %12s" % ("", "ms", "people"))
print("%-34s %10.0f %12s" % ("CleanRoom upload (HTTP)", median("upload_ms"), ""))
print("%-34s %10.0f %12s" % ("CleanRoom overlap (HTTP)", median("overlap_ms"), ours[-1]["people"]))
print("%-34s %10.0f %12s" % ("CleanRoom end to end", total, ""))
print("%-34s %10.0f %12s" % ("DuckDB read + join + count", summary["p50_ms"], summary["people"]))
print("ratio CleanRoom / DuckDB: %.2f" % (total / summary["p50_ms"]))
PY
