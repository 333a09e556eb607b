#!/usr/bin/env bash
# The ingest benchmark: CleanRoom's gateway and the Python peer (peers/ingest_peer.py) ingest the same
# synthetic data set (`cleanroom demo generate`) into the same schema, one after the other in one run, and a
# table reports customers/s, events/s and peak memory side by side with the ratios.
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

rm -rf "$work" && mkdir -p "$work/data" "$work/home/policies"
"$cleanroom" demo generate --customers "$customers" --events-per-customer "$per_customer" --out "$work/data" --seed 7 >&2
cp "$root/policies/default.yaml" "$work/home/policies/"
"$cleanroom" init --home "$work/home" > /dev/null

# CleanRoom: one process per file, timed with its peak resident memory.
measure() {
    local file=$1
    /usr/bin/time -f "%e %M" -o "$work/time.$file" "$cleanroom" ingest "$work/data/$file.jsonl" --home "$work/home" --json \
        > "$work/summary.$file.json"
    read -r seconds kib < "$work/time.$file"
    lines=$(wc -l < "$work/data/$file.jsonl")
    echo "$lines $seconds $kib"
}
read -r c_lines c_seconds c_kib < <(measure customers)
read -r e_lines e_seconds e_kib < <(measure events)

# The peer, on the same files.
"$venv/bin/python" "$here/peers/ingest_peer.py" "$work/data" "$work/peer.sqlite" > "$work/peer.out"
peer=$(tail -n 1 "$work/peer.out")

python3 - "$c_lines" "$c_seconds" "$c_kib" "$e_lines" "$e_seconds" "$e_kib" "$peer" <<'PY'
import json, sys
c_lines, c_seconds, c_kib, e_lines, e_seconds, e_kib = (float(x) for x in sys.argv[1:7])
peer = json.loads(sys.argv[7])
ours_c, ours_e = c_lines / c_seconds, e_lines / e_seconds
rows = [
    ("customers/s", f"{ours_c:,.0f}", f"{peer['customers_per_s']:,.0f}", f"{ours_c / peer['customers_per_s']:.1f}x"),
    ("events/s", f"{ours_e:,.0f}", f"{peer['events_per_s']:,.0f}", f"{ours_e / peer['events_per_s']:.1f}x"),
    ("peak memory (MiB)", f"{max(c_kib, e_kib) / 1024:,.0f}", f"{peer['peak_rss_mib']:,.0f}", ""),
]
print(f"\n{int(c_lines):,} customer rows, {int(e_lines):,} event rows")
print("| ingest | CleanRoom | Python peer | CleanRoom / peer |")
print("|---|---:|---:|---:|")
for row in rows:
    print("| " + " | ".join(row) + " |")
PY
