#!/usr/bin/env bash
# The ingest benchmark: CleanRoom's gateway and the Python peer (peers/ingest_peer.py) ingest the same
# synthetic data set (`cleanroom demo generate`) into the same schema, one after the other in one run, and the
# bare SQLite ceiling (Sources/ingest-ceiling) inserts the rows CleanRoom wrote into a fresh copy of the schema
# with no parsing or crypto. A table reports customers/s, events/s and peak memory side by side with the ratios.
# Usage: Benchmarks/ingest.sh [CUSTOMERS] [EVENTS_PER_CUSTOMER]   (defaults: 200000 and 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
customers="${1:-200000}"
per_customer="${2:-5}"
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

rm -rf "$work" && mkdir -p "$work/data" "$work/home/policies"
"$cleanroom" demo generate --customers "$customers" --events-per-customer "$per_customer" --out "$work/data" --seed 7 >&2
cp "$root/policies/default.yaml" "$work/home/policies/"
"$cleanroom" init --home "$work/home" > /dev/null

# CleanRoom: one process per file, timed with its peak resident memory. Each timed step starts after `sync`, so that
# the write-back of the file the step before wrote (a gigabyte of database for the customers) is not charged to it.
measure() {
    local file=$1
    sync
    /usr/bin/time -f "%e %M" -o "$work/time.$file" "$cleanroom" ingest "$work/data/$file.jsonl" --home "$work/home" --json \
        > "$work/summary.$file.json"
    read -r seconds kib < "$work/time.$file"
    lines=$(wc -l < "$work/data/$file.jsonl")
    echo "$lines $seconds $kib"
}
read -r c_lines c_seconds c_kib < <(measure customers)
read -r e_lines e_seconds e_kib < <(measure events)

# The bare SQLite ceiling: the rows CleanRoom wrote, inserted again with nothing else to do.
sync
ceiling=$("$ceiling_tool" "$work/home/cleanroom.sqlite" "$work/ceiling" --customer-lines "$c_lines" \
    --event-lines "$e_lines" 2> "$work/ceiling.err")
rm -f "$work/ceiling/ceiling.sqlite"*

# The peer, on the same files, into CleanRoom's schema copied from a home made for it.
mkdir -p "$work/peer-schema/policies"
cp "$root/policies/default.yaml" "$work/peer-schema/policies/"
"$cleanroom" init --home "$work/peer-schema" > /dev/null
sync
"$venv/bin/python" "$here/peers/ingest_peer.py" "$work/data" "$work/peer.sqlite" --schema-from "$work/peer-schema" \
    > "$work/peer.out"
peer=$(tail -n 1 "$work/peer.out")

python3 - "$c_lines" "$c_seconds" "$c_kib" "$e_lines" "$e_seconds" "$e_kib" "$peer" "$ceiling" <<'PY'
import json, sys
c_lines, c_seconds, c_kib, e_lines, e_seconds, e_kib = (float(x) for x in sys.argv[1:7])
peer, ceiling = json.loads(sys.argv[7]), json.loads(sys.argv[8])
ours_c, ours_e = c_lines / c_seconds, e_lines / e_seconds
def row(name, ours, peer_rate, ceiling_rate):
    return (name, f"{ours:,.0f}", f"{peer_rate:,.0f}", f"{ours / peer_rate:.2f}x", f"{ceiling_rate:,.0f}",
            f"{100 * ours / ceiling_rate:.0f} %")
rows = [
    row("customers/s", ours_c, peer["customers_per_s"], ceiling["customers_per_s"]),
    row("events/s", ours_e, peer["events_per_s"], ceiling["events_per_s"]),
    ("peak memory (MiB)", f"{max(c_kib, e_kib) / 1024:,.0f}", f"{peer['peak_rss_mib']:,.0f}", "", "", ""),
]
print(f"\n{int(c_lines):,} customer rows, {int(e_lines):,} event rows (rates: input lines per second; CleanRoom's is")
print("the whole process, start-up included; the ceiling times its inserts only)")
print("| ingest | CleanRoom | Python peer | CleanRoom / peer | bare SQLite ceiling | CleanRoom / ceiling |")
print("|---|---:|---:|---:|---:|---:|")
for cells in rows:
    print("| " + " | ".join(cells) + " |")
PY
