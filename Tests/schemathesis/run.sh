#!/usr/bin/env bash
# Property-based API tests: schemathesis (PyPI) generates requests from openapi.yaml against a running
# `cleanroom serve` on a small demo home and checks that no answer is a 5xx, that nothing crashes, and that every
# response matches the document (status codes, content types, schemas, headers), as the owner and as the auditor.
# Schemathesis' acceptance heuristics are left out: a request valid by the schema may still name a purpose or a
# person the policy and the store do not know, and is then rightly answered 400.
# Usage: Tests/schemathesis/run.sh [MAX_EXAMPLES]   (default 50 per operation)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
examples="${1:-50}"
venv="$here/.venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q schemathesis
fi

swift build --package-path "$root" --product cleanroom >&2
cleanroom="$(swift build --package-path "$root" --show-bin-path)/cleanroom"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/home/policies"
cp "$root/policies/default.yaml" "$root/policies/segments.yaml" "$work/home/policies/"
"$cleanroom" init --home "$work/home" > /dev/null
"$cleanroom" demo generate --customers 2000 --out "$work/data" --seed 3 > /dev/null
"$cleanroom" ingest "$work/data/customers.jsonl" "$work/data/events.jsonl" --home "$work/home" --json > /dev/null
owner=$("$cleanroom" principal add nordwind-analytics --role owner --home "$work/home")
auditor=$("$cleanroom" principal add dpo --role auditor --home "$work/home")

port=$((20000 + RANDOM % 20000))
"$cleanroom" serve --home "$work/home" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break
    sleep 0.2
done

status=0
for token in "$owner" "$auditor"; do
    "$venv/bin/schemathesis" run "$root/openapi.yaml" --url "http://127.0.0.1:$port" \
        --header "Authorization: Bearer $token" --max-examples "$examples" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
        || status=1
done
exit "$status"
