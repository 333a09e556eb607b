#!/usr/bin/env bash
# The ingest benchmark: CleanRoom's gateway and the Python peer (peers/ingest_peer.py) ingest the same
# synthetic data set (`cleanroom demo generate`) into the same schema, one after the other in one run, and the
# bare SQLite ceiling (Sources/ingest-ceiling) inserts the rows CleanRoom wrote into a fresh copy of the schema
# with no parsing or crypto. A table reports customers/s, events/s and peak memory side by side with the ratios.
# The three run one after the other in each of ROUNDS rounds; the table gives the median of each figure, and of each
# round's ratios (the machine's speed drifts over minutes, so a ratio is taken between runs close in time).
# Usage: Benchmarks/ingest.sh [CUSTOMERS] [EVENTS_PER_CUSTOMER] [ROUNDS]   (defaults: 200000, 5 and 3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
customers="${1:-200000}"
per_customer="${2:-5}"
rounds="${3:-3}"
work="$here/.build/ingest-$customers"

venv="$here/.peers"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q phonenumbers cryptography
fi

swift build -c release --package-path "$root" --product cleanroom >&2
cleanroom="$(swift build -c release --package-path "$root" --show-bin-path)/cleanroom"
swift build -c release --package-path "$here" --product ingest-ceiling >&2
ceiling_tool="$(swift build -c release --package-path "$here" --show-bin-path)/ingest-ceiling"

rm -rf "$work" && mkdir -p "$work/data"
"$cleanroom" demo generate --customers "$customers" --events-per-customer "$per_customer" --out "$work/data" --seed 7 >&2

# Every timed step starts after `sync`, so that the write-back of the file the step before wrote (a gigabyte of
# database for the customers) is not charged to it, and after peers/back_memory.py, so that it does not pay for
# memory the virtual machine's host took back when the step before freed it (see that script).
settle() {
    sync
    python3 "$here/peers/back_memory.py"
}

# CleanRoom: one process per file, timed with its peak resident memory.
measure() {
    local file=$1
    settle
    /usr/bin/time -f "%e %M" -o "$work/time.$file" "$cleanroom" ingest "$work/data/$file.jsonl" --home "$work/home" --json \
        > "$work/summary.$file.json"
    read -r seconds kib < "$work/time.$file"
    lines=$(wc -l < "$work/data/$file.jsonl")
    echo "$lines $seconds $kib"
}

: > "$work/rounds.jsonl"
for round in $(seq "$rounds"); do
    rm -rf "$work/home" "$work/peer-schema" "$work/peer.sqlite"* "$work/ceiling"
    mkdir -p "$work/home/policies" "$work/peer-schema/policies"
    cp "$root/policies/default.yaml" "$work/home/policies/"
    "$cleanroom" init --home "$work/home" > /dev/null
    read -r c_lines c_seconds c_kib < <(measure customers)
    read -r e_lines e_seconds e_kib < <(measure events)

    # The bare SQLite ceiling: the rows CleanRoom wrote, inserted again with nothing else to do.
    settle
    ceiling=$("$ceiling_tool" "$work/home/cleanroom.sqlite" "$work/ceiling" --customer-lines "$c_lines" \
        --event-lines "$e_lines" 2> "$work/ceiling.err")
    rm -f "$work/ceiling/ceiling.sqlite"*

    # The peer, on the same files, into CleanRoom's schema copied from a home made for it.
    cp "$root/policies/default.yaml" "$work/peer-schema/policies/"
    "$cleanroom" init --home "$work/peer-schema" > /dev/null
    settle
    "$venv/bin/python" "$here/peers/ingest_peer.py" "$work/data" "$work/peer.sqlite" --schema-from "$work/peer-schema" \
        > "$work/peer.out"
    peer=$(tail -n 1 "$work/peer.out")
    echo "{\"customer_lines\":$c_lines,\"customers_seconds\":$c_seconds,\"customers_kib\":$c_kib,\"event_lines\":$e_lines,\"events_seconds\":$e_seconds,\"events_kib\":$e_kib,\"peer\":$peer,\"ceiling\":$ceiling}" \
        >> "$work/rounds.jsonl"
    echo "round $round of $rounds: customers $c_seconds s, events $e_seconds s" >&2
done

python3 - "$work/rounds.jsonl" <<'PY'
import json, statistics, sys
rounds = [json.loads(line) for line in open(sys.argv[1])]
median = statistics.median
def rates(r):
    return {
        "customers": (r["customer_lines"] / r["customers_seconds"], r["peer"]["customers_per_s"],
                      r["ceiling"]["customers_per_s"]),
        "events": (r["event_lines"] / r["events_seconds"], r["peer"]["events_per_s"], r["ceiling"]["events_per_s"]),
    }
per_round = [rates(r) for r in rounds]
print(f"\n{rounds[0]['customer_lines']:,} customer rows, {rounds[0]['event_lines']:,} event rows, {len(rounds)} round(s)")
print("(rates: input lines per second; CleanRoom's is the whole process, start-up included; the ceiling times its")
print(f"inserts only, up to {rounds[0]['ceiling']['rows_per_insert']} rows per statement as CleanRoom writes its held rows;")
print("each cell is the median over the rounds, a ratio the median of each round's ratio)")
print("| ingest | CleanRoom | Python peer | CleanRoom / peer | bare SQLite ceiling | CleanRoom / ceiling |")
print("|---|---:|---:|---:|---:|---:|")
for name in ("customers", "events"):
    ours, peer, ceiling = (median(x[name][i] for x in per_round) for i in range(3))
    to_peer = median(x[name][0] / x[name][1] for x in per_round)
    to_ceiling = median(x[name][0] / x[name][2] for x in per_round)
    print(f"| {name}/s | {ours:,.0f} | {peer:,.0f} | {to_peer:.2f}x | {ceiling:,.0f} | {100 * to_ceiling:.0f} % |")
ours_mib = median(max(r["customers_kib"], r["events_kib"]) / 1024 for r in rounds)
peer_mib = median(r["peer"]["peak_rss_mib"] for r in rounds)
print(f"| peak memory (MiB) | {ours_mib:,.0f} | {peer_mib:,.0f} |  |  |  |")
if len(rounds) > 1:
    print("\nEach round: customers/s CleanRoom · peer · ratio · ceiling · share; events/s the same")
    for number, x in enumerate(per_round, 1):
        cells = []
        for name in ("customers", "events"):
            ours, peer, ceiling = x[name]
            cells.append(f"{ours:,.0f} · {peer:,.0f} · {ours / peer:.2f}x · {ceiling:,.0f} · {100 * ours / ceiling:.0f} %")
        print(f"- round {number}: " + "; ".join(cells))
PY
