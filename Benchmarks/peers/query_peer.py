"""The DuckDB peer of CleanRoom's query benchmark: the same aggregate queries on the same data, in DuckDB.

Usage: query_peer.py DB_PATH NOW_MS RUNS
       query_peer.py --table CLEANROOM_JSONL DUCKDB_JSONL

The first form copies a CleanRoom database (DB_PATH, a `cleanroom.sqlite`) into DuckDB in-memory tables, through
CSV files the `sqlite3` shell writes into a temporary folder and DuckDB's `read_csv` reads (DuckDB's own SQLite
scanner is an extension it downloads, so not at hand offline), the way a DuckDB user would set them up:

  people(subject_id BIGINT, country VARCHAR, age_band VARCHAR, loyalty_tier VARCHAR, ads_measurement BOOLEAN)
  events(subject_id BIGINT, type event_type (an ENUM), occurred_at BIGINT, amount DOUBLE)

`ads_measurement` is the person's consent to that purpose as of NOW_MS, decided once at load as CleanRoom's
index does: the latest ledger entry given by then (by time, then granted < withdrawn < objection, then time of
recording, then id) must be `granted`. Then it runs three queries, each once untimed and RUNS times timed
(`time.perf_counter` around `execute(...).fetchall()`), and prints JSON lines on stdout:

  {"system": "duckdb", "query": NAME, "run": i, "ms": x}                   one per query and run
  {"system": "duckdb", "query": NAME, "p50_ms": …, "p90_ms": …, "min_ms": …}
  {"system": "duckdb", "query": NAME, "result": {CELL: {METRIC: value}}}  CELL = group values joined by "|"
  {"system": "duckdb", "load_seconds": …, "people": …, "events": …, "peak_rss_mib": …}

The second form reads the JSON lines of CleanRoom's `query-bench` and of this peer and prints the comparison
table: latencies side by side, and whether every cell CleanRoom released agrees with DuckDB's (exit status 1
when a query's results differ or are missing).
See README.md for the choices made.
"""
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

DAY_MS = 86_400_000
PURPOSE = "ads_measurement"
# policies/default.yaml, privacy.contribution_cap: each person's sum of amounts is clamped to +/- this.
CONTRIBUTION_CAP = 1000
ATTRIBUTES = ("country", "age_band", "loyalty_tier")

# Metric -> (digits kept in the result, tolerance when comparing with CleanRoom).
METRICS = {
    "people": (None, 0),
    "events": (None, 0),
    "amount_sum": (2, 0.01),
    "conversion_rate": (4, 1e-4),
}


def queries(now_ms):
    """The three queries, by name: the SQL and how many group columns it returns first."""
    since_365d = now_ms - 365 * DAY_MS
    since_90d = now_ms - 90 * DAY_MS
    return {
        "people_by_country": ("""
            SELECT country, count(*) AS people
            FROM people
            WHERE ads_measurement
            GROUP BY country
            """, 1),
        "spend_by_age_band_365d": (f"""
            WITH spend AS (
                SELECT subject_id, sum(amount) AS amount
                FROM events
                WHERE amount IS NOT NULL AND occurred_at >= {since_365d}
                GROUP BY subject_id
            )
            SELECT p.age_band,
                   count(*) AS people,
                   sum(greatest(least(coalesce(s.amount, 0), {CONTRIBUTION_CAP}), -{CONTRIBUTION_CAP}))
                       AS amount_sum
            FROM people p LEFT JOIN spend s USING (subject_id)
            WHERE p.ads_measurement
            GROUP BY p.age_band
            """, 1),
        "conversion_by_country_loyalty_90d": (f"""
            WITH activity AS (
                SELECT subject_id,
                       count(*) AS events,
                       bool_or(type = 'purchase')::INTEGER AS converted
                FROM events
                WHERE occurred_at >= {since_90d}
                GROUP BY subject_id
            )
            SELECT p.country, p.loyalty_tier,
                   count(*) AS people,
                   coalesce(sum(a.events), 0) AS events,
                   coalesce(sum(a.converted), 0) / count(*) AS conversion_rate
            FROM people p LEFT JOIN activity a USING (subject_id)
            WHERE p.ads_measurement
            GROUP BY p.country, p.loyalty_tier
            """, 2),
    }


def export(db_path, select, directory, name):
    """Writes the rows of `select` on the SQLite database to a CSV file with the `sqlite3` shell; its path."""
    path = os.path.join(directory, f"{name}.csv")
    with open(path, "w") as file:
        subprocess.run(["sqlite3", "-readonly", "-csv", db_path, select], stdout=file, check=True)
    return path


def load(con, db_path, now_ms):
    """Reads the CleanRoom database into DuckDB's `people` and `events` tables."""
    exports = {
        "raw_subjects": ("SELECT id FROM subjects", {"subject_id": "BIGINT"}),
        "raw_attributes": ("SELECT subject_id, attributes FROM subject_attributes",
                           {"subject_id": "BIGINT", "attributes": "VARCHAR"}),
        "raw_ledger": (f"""SELECT id, subject_id, signal, occurred_at, recorded_at FROM consent_ledger
                           WHERE purpose = '{PURPOSE}' AND occurred_at <= {int(now_ms)}""",
                       {"id": "BIGINT", "subject_id": "BIGINT", "signal": "VARCHAR", "occurred_at": "BIGINT",
                        "recorded_at": "BIGINT"}),
        "raw_events": ("SELECT subject_id, type, occurred_at, amount FROM events",
                       {"subject_id": "BIGINT", "type": "VARCHAR", "occurred_at": "BIGINT", "amount": "DOUBLE"}),
    }
    with tempfile.TemporaryDirectory(prefix="query-peer-") as directory:
        for table, (select, columns) in exports.items():
            path = export(db_path, select, directory, table)
            con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM read_csv(?, header = false, columns = ?)",
                        [path, columns])
            os.remove(path)

    attributes = ",\n".join(
        f"json_extract_string(a.attributes, '$.{name}[0]') AS {name}" for name in ATTRIBUTES)
    con.execute(f"""
        CREATE TABLE people AS
        WITH consent AS (
            SELECT subject_id, signal = 'granted' AS allowed
            FROM raw_ledger
            QUALIFY row_number() OVER (
                PARTITION BY subject_id
                ORDER BY occurred_at DESC,
                         CASE signal WHEN 'granted' THEN 0 WHEN 'withdrawn' THEN 1 ELSE 2 END DESC,
                         recorded_at DESC, id DESC) = 1
        )
        SELECT s.subject_id, {attributes}, coalesce(c.allowed, false) AS {PURPOSE}
        FROM raw_subjects s
        LEFT JOIN raw_attributes a USING (subject_id)
        LEFT JOIN consent c USING (subject_id)
        ORDER BY s.subject_id
        """)
    con.execute("CREATE TYPE event_type AS ENUM (SELECT DISTINCT type FROM raw_events ORDER BY type)")
    con.execute("""
        CREATE TABLE events AS
        SELECT subject_id, type::event_type AS type, occurred_at, amount
        FROM raw_events
        ORDER BY subject_id, occurred_at
        """)
    for table in exports:
        con.execute(f"DROP TABLE {table}")
    return (con.execute("SELECT count(*) FROM people").fetchone()[0],
            con.execute("SELECT count(*) FROM events").fetchone()[0])


def cells(rows, description, group_columns):
    """The result as cell key -> metric -> value: group values joined by "|" (NULL written "null")."""
    names = [column[0] for column in description]
    result = {}
    for row in rows:
        key = "|".join("null" if value is None else str(value) for value in row[:group_columns])
        values = {}
        for name, value in zip(names[group_columns:], row[group_columns:]):
            digits = METRICS[name][0]
            values[name] = int(value) if digits is None else round(float(value), digits)
        result[key] = values
    return result


def nearest_rank(values, fraction):
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def emit(line):
    print(json.dumps(line), flush=True)


def run_peer(db_path, now_ms, runs):
    import duckdb

    con = duckdb.connect(":memory:", config={"threads": os.cpu_count()})
    started = time.perf_counter()
    people, events = load(con, db_path, now_ms)
    load_seconds = time.perf_counter() - started
    for name, (sql, group_columns) in queries(now_ms).items():
        con.execute(sql).fetchall()
        times = []
        for run in range(runs):
            begin = time.perf_counter()
            rows = con.execute(sql).fetchall()
            times.append((time.perf_counter() - begin) * 1000)
            emit({"system": "duckdb", "query": name, "run": run, "ms": round(times[-1], 3)})
        emit({"system": "duckdb", "query": name, "p50_ms": round(statistics.median(times), 3),
              "p90_ms": round(nearest_rank(times, 0.9), 3), "min_ms": round(min(times), 3)})
        emit({"system": "duckdb", "query": name,
              "result": cells(rows, con.description, group_columns)})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit({"system": "duckdb", "load_seconds": round(load_seconds, 3), "people": people, "events": events,
          "peak_rss_mib": round(peak, 1)})


def read_lines(path):
    """Per query: the run times and the result; and the lines that are not about one query."""
    times, results, other = {}, {}, {}
    with open(path) as file:
        for text in file:
            if not text.startswith("{"):
                continue
            line = json.loads(text)
            if "query" not in line:
                other.update(line)
            elif "ms" in line:
                times.setdefault(line["query"], []).append(line["ms"])
            elif "result" in line:
                results[line["query"]] = line["result"]
    return times, results, other


def disagreements(ours, peer):
    """How CleanRoom's released cells differ from DuckDB's: a list of short descriptions, empty when they agree."""
    problems = []
    for key, values in sorted(ours.items()):
        theirs = peer.get(key)
        if theirs is None:
            problems.append(f"cell {key}: not in DuckDB's result")
            continue
        for metric, value in values.items():
            if metric not in METRICS:
                continue
            tolerance = METRICS[metric][1]
            if metric not in theirs:
                problems.append(f"cell {key}: no {metric} from DuckDB")
            elif abs(value - theirs[metric]) > tolerance + 1e-9:
                problems.append(f"cell {key}: {metric} {value} against {theirs[metric]}")
    return problems


def print_table(ours_path, peer_path):
    our_times, our_results, our_other = read_lines(ours_path)
    peer_times, peer_results, peer_other = read_lines(peer_path)
    print("| query | CleanRoom p50 / p90 ms | DuckDB p50 / p90 ms | ratio p50 (CleanRoom / DuckDB) "
          "| results | cells released / DuckDB's |")
    print("|---|---:|---:|---:|---|---:|")
    details, agreed = [], True
    for name in queries(0):
        ours, theirs = our_times.get(name), peer_times.get(name)
        if not ours or not theirs:
            print(f"| {name} | {'–' if not ours else ''} | {'–' if not theirs else ''} | | missing | |")
            agreed = False
            continue
        ours_p50, theirs_p50 = statistics.median(ours), statistics.median(theirs)
        released, computed = our_results.get(name, {}), peer_results.get(name, {})
        problems = disagreements(released, computed)
        verdict = "AGREE" if released and not problems else ("no cell released" if not released else "DIFFER")
        agreed = agreed and verdict == "AGREE"
        details += [f"{name}: {problem}" for problem in problems[:10]]
        print(f"| {name} | {ours_p50:.2f} / {nearest_rank(ours, 0.9):.2f} | {theirs_p50:.2f} / "
              f"{nearest_rank(theirs, 0.9):.2f} | {ours_p50 / theirs_p50:.2f} | {verdict} | "
              f"{len(released)} / {len(computed)} |")
    print()
    runs = len(next(iter(our_times.values()), []))
    missing = float("nan")
    print(f"{peer_other.get('people', 0):,} people, {peer_other.get('events', 0):,} events in DuckDB; {runs} warm "
          "runs per query after one untimed run; CleanRoom's index loaded in "
          f"{our_other.get('index_load_seconds', missing):.1f} s, DuckDB's tables in "
          f"{peer_other.get('load_seconds', missing):.1f} s (DuckDB's peak RSS "
          f"{peer_other.get('peak_rss_mib', missing):,.0f} MiB)")
    for line in details:
        print(line)
    return agreed


def main(arguments):
    if len(arguments) == 3 and arguments[0] == "--table":
        sys.exit(0 if print_table(arguments[1], arguments[2]) else 1)
    elif len(arguments) == 3 and not arguments[0].startswith("-"):
        run_peer(arguments[0], int(arguments[1]), int(arguments[2]))
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main(sys.argv[1:])
