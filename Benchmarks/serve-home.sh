# Sourced by load.sh and overlap.sh: serves a copy of query.sh's 1,000,000-people home for one partner.
# Needs `here` and `cleanroom` set; `serve_home NAME` copies the home to Benchmarks/.build/NAME-home, lifts the
# partner's per-minute query allowance (recorded in the audit log as a policy change), issues a token for
# alpina-outdoor and starts `cleanroom serve` on a random loopback port, logging to Benchmarks/.build/NAME-serve.log.
# It sets `home`, `token`, `port` and `server` (stopped on exit).
serve_home() {
    local name="$1" work="$here/.build/query-1000000-10"
    [ -f "$work/ready" ] || bash "$here/query.sh" 1000000 10 3 > /dev/null
    home="$here/.build/$name-home"
    rm -rf "$home" && cp -a "$work/home" "$home"
    sed -i 's/queries_per_minute: 120/queries_per_minute: 100000000/' "$home/policies/default.yaml"
    token=$("$cleanroom" principal add alpina-outdoor --role partner --home "$home")
    port=$((20000 + RANDOM % 20000))
    "$cleanroom" serve --home "$home" --port "$port" > "$here/.build/$name-serve.log" 2>&1 &
    server=$!
    trap 'kill "$server" 2>/dev/null || true' EXIT
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
    curl -sf "http://127.0.0.1:$port/readyz" > /dev/null
}
