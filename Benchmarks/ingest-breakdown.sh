#!/usr/bin/env bash
# Where the ingest's time goes: `cleanroom ingest` of the customers file, then of the events file, each under
# `perf record`, each profile classified into stages (JSON parsing, validation, normalization, phone parsing,
# crypto, identity resolution, SQLite, kernel I/O...) by peers/ingest_breakdown.py; then the crypto ceiling from
# `openssl speed` (peers/crypto_ceiling.py) for comparison.
# Usage: Benchmarks/ingest-breakdown.sh [CUSTOMERS]   (default 200000; 5 events per customer, seed 7)
# Environment: CLEANROOM=path  use this cleanroom binary instead of building the release product;
#              CALL_GRAPH=fp   frame-pointer call chains (perf record -g) instead of DWARF unwinding.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
customers="${1:-200000}"
frequency=999
data="$here/.build/ingest-$customers/data"
work="$here/.build/breakdown-$customers"

if ! command -v perf > /dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "perf is missing: installing linux-perf" >&2
        apt-get install -y linux-perf >&2 || { echo "could not install linux-perf: install perf, rerun" >&2; exit 1; }
    else
        echo "perf is missing: install it (Debian: apt-get install linux-perf) and rerun" >&2
        exit 1
    fi
fi
# libcrypto, libsqlite3 and libc keep no frame pointers, so frame-pointer chains stop at them: DWARF unwinding
# (8 KiB of stack per sample) is what lets a sample in libcrypto or malloc be charged to the stage that called it.
case "${CALL_GRAPH:-dwarf}" in
    dwarf) call_graph=(--call-graph dwarf) ;;
    fp) call_graph=(-g) ;;
    *) echo "CALL_GRAPH must be dwarf or fp" >&2; exit 1 ;;
esac

if [ -n "${CLEANROOM:-}" ]; then
    cleanroom="$CLEANROOM"
else
    swift build -c release --package-path "$root" --product cleanroom >&2
    cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"
fi

if [ ! -f "$data/customers.jsonl" ] || [ ! -f "$data/events.jsonl" ]; then
    mkdir -p "$data"
    "$cleanroom" demo generate --customers "$customers" --events-per-customer 5 --out "$data" --seed 7 >&2
fi
rm -rf "$work" && mkdir -p "$work/home/policies"
cp "$root/policies/default.yaml" "$work/home/policies/"
"$cleanroom" init --home "$work/home" > /dev/null

for file in customers events; do
    lines=$(wc -l < "$data/$file.jsonl")
    start=$EPOCHREALTIME
    perf record -F "$frequency" "${call_graph[@]}" -o "$work/$file.perf.data" -- \
        "$cleanroom" ingest "$data/$file.jsonl" --home "$work/home" --json > "$work/summary.$file.json" \
        2> "$work/perf-record.$file.log"
    seconds=$(awk "BEGIN { printf \"%.1f\", $EPOCHREALTIME - $start }")
    perf script -F pid,tid,ip,sym,dso -i "$work/$file.perf.data" 2> "$work/perf-script.$file.log" |
        python3 "$here/peers/ingest_breakdown.py" --frequency "$frequency" \
            --title "### $file.jsonl: $lines lines, $seconds s wall under perf; $(cat "$work/summary.$file.json")"
done

echo
echo "### Crypto ceiling"
echo
python3 "$here/peers/crypto_ceiling.py" --database "$work/home/cleanroom.sqlite"
