"""The DuckDB peer of CleanRoom's overlap benchmark, and the preparation of its inputs.

Usage: overlap_peer.py emails CUSTOMERS_JSONL OUT_DIR
       overlap_peer.py lists OUT_DIR PARTNER_HASHES SEED
       overlap_peer.py join OUT_DIR RUNS

`emails` writes OUT_DIR/emails.txt (the e-mail address of each customer record, or an empty line; one line per
record, for `cleanroom hash --keep-rows`) and OUT_DIR/records.csv (customer_id, partner_matching consent as given
in the record).

`lists` joins OUT_DIR/email-hashes.txt (the hashes of emails.txt, row for row) back to the records and writes:
  owner.csv   — hash, customer_id of every record with an e-mail and partner_matching consent: the owner's side,
                as a DuckDB user would keep it;
  partner.txt — PARTNER_HASHES distinct hashes, one per line: half of them e-mail hashes of the owner's customers
                (consenting or not), the other half random, shuffled (seeded).

`join` times DuckDB answering the overlap from the files, RUNS times after one untimed run: read partner.txt, join
it with owner.csv (loaded into an in-memory table beforehand, not timed) and count the distinct customers matched.
It prints JSON lines: {"system": "duckdb", "run": i, "ms": x} per run, then {"system": "duckdb", "people": n,
"p50_ms": ...}.
"""
import csv
import json
import os
import random
import statistics
import sys
import time


def emails(customers_path, out_dir):
    with open(customers_path, encoding="utf-8") as source, \
            open(os.path.join(out_dir, "emails.txt"), "w", encoding="utf-8") as emails_file, \
            open(os.path.join(out_dir, "records.csv"), "w", encoding="utf-8", newline="") as records_file:
        records = csv.writer(records_file)
        records.writerow(["customer_id", "partner_matching"])
        for line in source:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict) or record.get("type") != "customer":
                continue
            email = record.get("email")
            # One line per record: a value with a line break could not be one line, so it counts as no e-mail.
            emails_file.write((email if isinstance(email, str) and "\n" not in email else "") + "\n")
            consent = record.get("consent") or {}
            records.writerow([record.get("customer_id", ""), "true" if consent.get("partner_matching") else "false"])


def lists(out_dir, partner_hashes, seed):
    with open(os.path.join(out_dir, "email-hashes.txt"), encoding="ascii") as hashes_file, \
            open(os.path.join(out_dir, "records.csv"), encoding="utf-8") as records_file:
        records = csv.reader(records_file)
        next(records)
        pairs = [(digest.strip(), row) for digest, row in zip(hashes_file, records)]
    owned = [(digest, row) for digest, row in pairs if digest]
    with open(os.path.join(out_dir, "owner.csv"), "w", encoding="utf-8", newline="") as owner_file:
        owner = csv.writer(owner_file)
        owner.writerow(["hash", "customer_id"])
        for digest, (customer_id, partner_matching) in owned:
            if partner_matching == "true":
                owner.writerow([digest, customer_id])
    generator = random.Random(seed)
    known = sorted({digest for digest, _ in owned})
    chosen = generator.sample(known, min(len(known), partner_hashes // 2))
    partner = set(chosen)
    while len(partner) < partner_hashes:
        partner.add("%064x" % generator.getrandbits(256))
    partner = sorted(partner)
    generator.shuffle(partner)
    with open(os.path.join(out_dir, "partner.txt"), "w", encoding="ascii") as partner_file:
        partner_file.write("\n".join(partner) + "\n")


def join(out_dir, runs):
    import duckdb

    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE owner AS SELECT * FROM read_csv(?, header = true, "
        "columns = {'hash': 'VARCHAR', 'customer_id': 'VARCHAR'})",
        [os.path.join(out_dir, "owner.csv")])
    query = (
        "SELECT count(DISTINCT o.customer_id) FROM read_csv(?, header = false, columns = {'hash': 'VARCHAR'}) p "
        "JOIN owner o ON o.hash = lower(trim(p.hash))")
    partner = os.path.join(out_dir, "partner.txt")
    people = connection.execute(query, [partner]).fetchone()[0]
    times = []
    for run in range(runs):
        start = time.perf_counter()
        people = connection.execute(query, [partner]).fetchone()[0]
        elapsed = (time.perf_counter() - start) * 1000
        times.append(elapsed)
        print(json.dumps({"system": "duckdb", "run": run, "ms": round(elapsed, 2)}), flush=True)
    print(json.dumps({"system": "duckdb", "people": people, "p50_ms": round(statistics.median(times), 2)}))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "emails" and len(sys.argv) == 4:
        emails(sys.argv[2], sys.argv[3])
    elif command == "lists" and len(sys.argv) == 5:
        lists(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif command == "join" and len(sys.argv) == 4:
        join(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(__doc__)
