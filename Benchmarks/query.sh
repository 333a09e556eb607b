#!/usr/bin/env bash
# The query benchmark: group-by count and sum queries over a CleanRoom store, answered by CleanRoom from its
# in-memory cohort index (Sources/query-bench) and by DuckDB from the same data loaded into in-memory tables
# (peers/query_peer.py), one after the other in one run. A table reports each system's median and p90 latency
# over warm runs, the ratio of the medians, and whether every cell CleanRoom released agrees with DuckDB's.
# Usage: Benchmarks/query.sh [CUSTOMERS] [EVENTS_PER_CUSTOMER] [RUNS]   (defaults: 1000000, 10 and 21)
#
# The data set (`cleanroom demo generate`, seed 7, ending 2026-11-01) and its ingested home are kept in
# Benchmarks/.build/query-CUSTOMERS-EVENTS and reused by later runs: at 1,000,000 customers the set-up takes
# several minutes. Queries are asked as of the data set's end, 2026-11-01T00:00:00Z.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
customers="${1:-1000000}"
per_customer="${2:-10}"
runs="${3:-21}"
end_date=2026-11-01
now_ms=$(( $(date -u -d "$end_date" +%s) * 1000 ))
work="$here/.build/query-$customers-$per_customer"

if ! command -v sqlite3 > /dev/null; then
    echo "the DuckDB peer needs the sqlite3 shell (apt-get install sqlite3)" >&2
    exit 1
fi
venv="$here/.peers"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import duckdb" 2> /dev/null; then
    "$venv/bin/pip" install -q duckdb
fi

# The set-up, once: generate, then ingest customers, events and consent changes into a fresh home. The marker
# is written last, so an interrupted set-up starts over.
if [ ! -f "$work/ready" ]; then
    swift build -c release --package-path "$root" --product cleanroom >&2
    cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"
    rm -rf "$work" && mkdir -p "$work/data" "$work/home/policies"
    "$cleanroom" demo generate --customers "$customers" --events-per-customer "$per_customer" --out "$work/data" \
        --seed 7 --end-date "$end_date" >&2
    cp "$root/policies/default.yaml" "$root/policies/segments.yaml" "$work/home/policies/"
    "$cleanroom" init --home "$work/home" > /dev/null
    for file in customers events consents; do
        if [ -f "$work/data/$file.jsonl" ]; then
            "$cleanroom" ingest "$work/data/$file.jsonl" --home "$work/home" --json > "$work/ingest.$file.json"
        fi
    done
    touch "$work/ready"
fi

swift build -c release --package-path "$here" --product query-bench >&2
bench="$(swift build -c release --package-path "$here" --show-bin-path)/query-bench"

# One system at a time, so neither competes with the other for the two cores.
echo "CleanRoom (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$bench" "$work/home" "$now_ms" "$runs" > "$work/cleanroom.jsonl"
echo "DuckDB (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$venv/bin/python" "$here/peers/query_peer.py" "$work/home/cleanroom.sqlite" "$now_ms" "$runs" > "$work/duckdb.jsonl"

echo
"$venv/bin/python" "$here/peers/query_peer.py" --table "$work/cleanroom.jsonl" "$work/duckdb.jsonl"
