#!/usr/bin/env bash
# The rights benchmark: erasure latency (each request on its own, audit entry synced included; the rights
# issue's goal is under 50 ms) and withdrawal throughput on a home of CUSTOMERS customers, with the identity
# index loaded once as a long-running service would (Sources/rights-bench).
# Usage: Benchmarks/rights.sh [CUSTOMERS] [ERASURES] [WITHDRAWALS]   (defaults: 1000000, 200 and 2000)
#
# Reuses the home and data of the ingest benchmark (Benchmarks/.build/ingest-CUSTOMERS, see ingest.sh) when
# they exist; otherwise generates and ingests the same data set (seed 7, 5 events per customer) into
# Benchmarks/.build/rights-CUSTOMERS/source. The benchmark runs on a copy of the home (cp -a), so the source
# store is never altered; the copy is deleted afterwards unless KEEP=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
customers="${1:-1000000}"
erasures="${2:-200}"
withdrawals="${3:-2000}"
work="$here/.build/rights-$customers"

source="$here/.build/ingest-$customers"
if [ ! -f "$source/home/cleanroom.sqlite" ]; then
    source="$work/source"
    if [ ! -f "$source/home/cleanroom.sqlite" ] || [ ! -f "$source/data/customers.jsonl" ]; then
        swift build -c release --package-path "$root" --product cleanroom >&2
        cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"
        rm -rf "$source" && mkdir -p "$source/data" "$source/home/policies"
        "$cleanroom" demo generate --customers "$customers" --events-per-customer 5 --out "$source/data" --seed 7 >&2
        cp "$root/policies/default.yaml" "$source/home/policies/"
        "$cleanroom" init --home "$source/home" > /dev/null
        "$cleanroom" ingest "$source/data/customers.jsonl" --home "$source/home" --json >&2
        "$cleanroom" ingest "$source/data/events.jsonl" --home "$source/home" --json >&2
    fi
fi

swift build -c release --package-path "$here" --product rights-bench >&2
bench="$(swift build -c release --package-path "$here" --show-bin-path)/rights-bench"

# A scratch copy: erasures delete rows and add to the suppression list, withdrawals add to the consent ledger.
rm -rf "$work/run" && mkdir -p "$work/run"
cp -a "$source/home" "$work/run/home"
# The copy's pages must reach the disk before the clock starts: left to writeback, the first erasure's
# fdatasync of the database would flush gigabytes (0.4-0.6 s measured) and later syncs would queue behind it.
find "$work/run/home" -type f -exec sync {} +
customers_file=()
if [ -f "$source/data/customers.jsonl" ]; then
    customers_file=(--customers "$source/data/customers.jsonl")
fi
echo "source: $source; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$bench" "$work/run/home" --erasures "$erasures" --withdrawals "$withdrawals" --seed 1 "${customers_file[@]}"
if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work/run"
fi
