#!/usr/bin/env bash
# The frequent-itemset benchmark: CleanRoom's FrequentItemsetMiner (Sources/rules-bench), pyfim's fpgrowth
# (Borgelt's C code) and mlxtend's fpgrowth (peers/rules_peer.py) mine the same FIMI files at the same absolute
# supports. Each side reads its file first and times the mining call alone. Passes alternate the three; a table
# reports medians with the ratios. mlxtend runs once per pass, and only in the first pass when that run took
# more than 5 s; it is stopped after 300 s ("—" in the table).
# Usage: Benchmarks/rules.sh [DATA_DIR] [PASSES] [RUNS_PER_PASS]   (defaults: ../shared/data, 5 and 10)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
data="${1:-$root/../shared/data}"
passes="${2:-5}"
runs="${3:-10}"
work="$here/.build/rules"
levels=("mushroom 3250" "mushroom 2437" "mushroom 1625" "mushroom 812"
        "foodmart 10" "foodmart 5" "foodmart 3" "foodmart 2" "foodmart 1")

venv="$here/.peers"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import fim, mlxtend, pandas" 2> /dev/null || "$venv/bin/pip" install -q pyfim mlxtend pandas

swift build -c release --package-path "$here" --product rules-bench >&2
bench="$(swift build -c release --package-path "$here" --show-bin-path)/rules-bench"

mkdir -p "$work"
results="$work/results.jsonl"
: > "$results"
for level in "${levels[@]}"; do
    read -r name support <<< "$level"
    file="$data/$name.dat"
    mlxtend_slow=0
    for pass in $(seq "$passes"); do
        echo "$name at $support: pass $pass of $passes" >&2
        "$bench" "$file" "$support" "$runs" >> "$results"
        "$venv/bin/python" "$here/peers/rules_peer.py" pyfim "$file" "$support" "$runs" >> "$results"
        if [ "$mlxtend_slow" = 0 ]; then
            if ! out=$(timeout 300 "$venv/bin/python" "$here/peers/rules_peer.py" mlxtend "$file" "$support" 1); then
                echo "{\"peer\":\"mlxtend\",\"data\":\"$name\",\"support\":$support,\"timeout_s\":300}" >> "$results"
                mlxtend_slow=1
                continue
            fi
            echo "$out" >> "$results"
            if python3 -c "import json,sys; sys.exit(0 if json.loads(sys.argv[1])['ms'] > 5000 else 1)" "$out"; then
                mlxtend_slow=1
            fi
        fi
    done
done

python3 - "$results" "$passes" "$runs" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
passes, runs = sys.argv[2], sys.argv[3]
levels, times, counts, sums, transactions, timeouts = [], {}, {}, {}, {}, set()
for row in rows:
    key = (row["data"], row["support"])
    if key not in levels:
        levels.append(key)
    if "timeout_s" in row:
        timeouts.add(key)
        continue
    times.setdefault((key, row["peer"]), []).append(row["ms"])
    counts.setdefault((key, row["peer"]), set()).add(row["itemsets"])
    sums.setdefault((key, row["peer"]), set()).add(row["support_sum"])
    transactions[key] = row["transactions"]
def median(key, peer):
    samples = times.get((key, peer))
    return statistics.median(samples) if samples else None
def ms(value):
    return "—" if value is None else (f"{value:,.2f}" if value < 10 else f"{value:,.1f}")
print(f"\nMedian milliseconds of the mining call alone (files read before the clock starts); CleanRoom and pyfim:")
print(f"{passes} alternating passes of {runs} runs; mlxtend: one run per pass, one pass when it takes over 5 s,")
print("on a one-hot DataFrame built before its clock starts. Ratios: ours / pyfim < 1 and mlxtend / ours > 1")
print("mean CleanRoom is faster.")
print("| data set | support | itemsets | CleanRoom ms | pyfim ms | mlxtend ms (runs) | ours / pyfim | mlxtend / ours |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
notes = []
for key in levels:
    data, support = key
    ours, pyfim, mlxtend = median(key, "cleanroom"), median(key, "pyfim"), median(key, "mlxtend")
    ours_count = counts.get((key, "cleanroom"), {None})
    count = next(iter(ours_count))
    for peer in ("pyfim", "mlxtend"):
        theirs = counts.get((key, peer))
        if not theirs or (theirs, sums[(key, peer)]) == (ours_count, sums[(key, "cleanroom")]):
            continue
        if len(theirs) > 1 or len(ours_count) > 1:
            notes.append(f"{data} at {support}: {peer} or CleanRoom reported different counts from run to run")
            continue
        fewer = count - next(iter(theirs))
        less = next(iter(sums[(key, "cleanroom")])) - next(iter(sums[(key, peer)]))
        why = (" (the single-item set of an item in every transaction, which pyfim never reports)"
               if peer == "pyfim" and fewer == 1 and less == transactions[key] else "")
        notes.append(f"{data} at {support}: {peer} reports {fewer:,} itemset(s) fewer, support sum {less:,} lower{why}")
    mlxtend_runs = len(times.get((key, "mlxtend"), []))
    mlxtend_cell = "> 300 s" if key in timeouts and not mlxtend_runs else f"{ms(mlxtend)} ({mlxtend_runs})"
    ratio = f"{ours / pyfim:.2f}" if ours and pyfim else "—"
    speedup = f"{mlxtend / ours:,.0f}x" if ours and mlxtend else "—"
    print(f"| {data} | {support} | {count:,} | {ms(ours)} | {ms(pyfim)} | {mlxtend_cell} | {ratio} | {speedup} |")
for note in notes:
    print(f"- {note}")
PY
