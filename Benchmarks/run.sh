#!/usr/bin/env bash
# Runs CleanRoom's benchmarks beside their peers, on the same inputs, in one run, and prints a table of
# medians and ratios. Usage: Benchmarks/run.sh [COUNT] [RUNS]   (defaults: 100000 values, 9 runs)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
count="${1:-100000}"
runs="${2:-9}"
work="$here/.build/inputs"

# The peers: Python with PyPI phonenumbers and cryptography, in a venv that git ignores.
venv="$here/.peers"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q phonenumbers cryptography
fi

python3 "$here/peers/make_inputs.py" "$work" "$count"
swift build -c release --package-path "$here" --product cleanroom-bench >&2
bench="$(swift build -c release --package-path "$here" --show-bin-path)/cleanroom-bench"

# CleanRoom and the peer take turns, one timed pass each, so that noise from a shared machine falls on both
# alike; the table takes the median of each side's passes.
results="$work/results.jsonl"
: > "$results"
for _ in $(seq "$runs"); do
    "$bench" "$work" 1 >> "$results"
    "$venv/bin/python" "$here/peers/identifiers_peer.py" "$work" 1 >> "$results"
done
python3 "$here/peers/table.py" "$results" "$runs"

# The audit log: appends per second with every entry synced before it returns (no peer: the figures are
# what a request pays for being audited first).
echo
swift build -c release --package-path "$here" --product audit-bench >&2
"$(swift build -c release --package-path "$here" --show-bin-path)/audit-bench" "$work" 5

# Ingest: CleanRoom's gateway beside the Python peer and the bare SQLite ceiling, on the same synthetic data set.
bash "$here/ingest.sh" "${INGEST_CUSTOMERS:-200000}"

# Rights requests on the store the ingest benchmark built (a copy of it): erasure latency, withdrawal throughput.
bash "$here/rights.sh" "${INGEST_CUSTOMERS:-200000}"

# Aggregate queries on 1,000,000 people and 10,000,000 events, beside DuckDB on the same data (set-up cached).
bash "$here/query.sh" "${QUERY_CUSTOMERS:-1000000}" 10 21

# Frequent itemsets on the FIMI data sets, beside pyfim and mlxtend.
bash "$here/rules.sh"

# The service under load: wrk against `cleanroom serve` on the same 1,000,000-people home.
bash "$here/load.sh" 20 50

# A partner's 1,000,000-hash audience, uploaded and overlapped over HTTP, beside DuckDB joining the same hashes.
bash "$here/overlap.sh" 5
