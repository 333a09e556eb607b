"""The crypto ceiling of the ingest: what OpenSSL alone would allow, measured with `openssl speed`.

Usage: crypto_ceiling.py [--database CLEANROOM_SQLITE] [--openssl openssl] [--seconds 1]

Runs the system OpenSSL CLI (`openssl speed -mr -elapsed -seconds 1 -bytes B`, B = 16 and 64, plus 128 for
SHA-256) for SHA-256 (`-evp sha256`), HMAC-SHA256 (`-hmac sha256`), AES-256-GCM (`-aead -evp aes-256-gcm`: a
whole message per operation, nonce set, associated data, encrypt, tag, as a seal does) and the DRBG (`rand`),
turns bytes/s into a time per operation (block size / bytes per second) and prices the crypto of one customer
row and one event row as the ingest does them:

  customer (a new subject):  H x SHA-256 of a normalized value (~24 bytes)   match hashes
                             H x HMAC-SHA256 of the 32-byte hash            pseudonyms
                             1 x random 32 bytes                            the data key
                             1 x random 12 bytes + AES-256-GCM of 32 bytes  its wrap under the KEK
                             I x (random 12 bytes + AES-256-GCM of ~24)     each identifier sealed
  event:                     1 x SHA-256 of ~120 bytes                      the event key
                             E x (SHA-256 ~24 bytes + HMAC-SHA256 of 32)    the identifiers it names

I (identifiers per subject) and H (pseudonyms, one per normalization variant, per subject) are read from
`--database` (a CleanRoom store after an ingest: `identifiers.variants` lists the variant names of each raw
identifier, `""` for kinds with one form) or default to 2.9 and 6.0; E defaults to 1. Each operation is priced
at the measured block size nearest its length. The time of one row is the sum; the ceiling on N cores is
N / that time, as if the rows did nothing but crypto. The last line printed is a JSON summary.
"""
import argparse
import json
import sqlite3
import subprocess
import sys

SIZES = {"sha256": (16, 64, 128), "hmac": (16, 64), "aes-256-gcm": (16, 64), "rand": (16, 64)}
SPEED_ARGUMENTS = {
    "sha256": ["-evp", "sha256"],
    "hmac": ["-hmac", "sha256"],
    "aes-256-gcm": ["-aead", "-evp", "aes-256-gcm"],
    "rand": ["rand"],
}


def speed(openssl, algorithm, size, seconds):
    """Bytes per second of one `openssl speed` run, from its machine-readable `+F` line."""
    command = [openssl, "speed", "-mr", "-elapsed", "-seconds", str(seconds), "-bytes", str(size),
               *SPEED_ARGUMENTS[algorithm]]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.startswith("+F:"):
            return float(line.split(":")[-1])
    raise SystemExit(f"no +F line from {' '.join(command)}:\n{output}")


def measured_workload(path):
    """Identifiers and pseudonyms per subject, from a CleanRoom store."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    subjects, = db.execute("SELECT count(*) FROM subjects").fetchone()
    identifiers, variants = db.execute(
        "SELECT count(*), coalesce(sum(CASE WHEN variants = '' THEN 1 "
        "ELSE length(variants) - length(replace(variants, ',', '')) + 1 END), 0) FROM identifiers").fetchone()
    db.close()
    if not subjects:
        raise SystemExit(f"{path} holds no subjects")
    return identifiers / subjects, variants / subjects, subjects


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="a CleanRoom store after an ingest, to count identifiers and variants")
    parser.add_argument("--openssl", default="openssl")
    parser.add_argument("--seconds", type=int, default=1, help="-seconds of each openssl speed run")
    parser.add_argument("--event-identifiers", type=float, default=1.0, help="identifiers an event names")
    args = parser.parse_args()

    version = subprocess.run([args.openssl, "version"], capture_output=True, text=True, check=True).stdout.strip()
    ns_per_op = {}
    for algorithm, sizes in SIZES.items():
        for size in sizes:
            ns_per_op[(algorithm, size)] = 1e9 * size / speed(args.openssl, algorithm, size, args.seconds)

    if args.database:
        identifiers, hashes, subjects = measured_workload(args.database)
        source = f"measured on {subjects:,} subjects of {args.database}"
    else:
        identifiers, hashes = 2.9, 6.0
        source = "defaults (no --database)"

    def price(algorithm, length):
        size = min(SIZES[algorithm], key=lambda s: (abs(s - length), s))
        return size, ns_per_op[(algorithm, size)]

    # (what, algorithm, bytes per operation, operations per row)
    customer = [
        ("match hash: SHA-256 of a normalized value", "sha256", 24, hashes),
        ("pseudonym: HMAC-SHA256 of the hash", "hmac", 32, hashes),
        ("data key: random", "rand", 32, 1),
        ("nonces: random", "rand", 12, 1 + identifiers),
        ("data key wrap: AES-256-GCM", "aes-256-gcm", 32, 1),
        ("identifier seal: AES-256-GCM", "aes-256-gcm", 24, identifiers),
    ]
    event = [
        ("event key: SHA-256 of its canonical JSON", "sha256", 120, 1),
        ("match hash: SHA-256 of a normalized value", "sha256", 24, args.event_identifiers),
        ("pseudonym: HMAC-SHA256 of the hash", "hmac", 32, args.event_identifiers),
    ]

    print(f"{version}; openssl speed -mr -elapsed -seconds {args.seconds} -bytes B (wall clock; the machine may "
          f"be shared)\n")
    print("| operation | block | ns/op | ops/s |")
    print("|---|---:|---:|---:|")
    for (algorithm, size), ns in ns_per_op.items():
        label = " ".join(SPEED_ARGUMENTS[algorithm])
        print(f"| {label} | {size} | {ns:,.0f} | {1e9 / ns:,.0f} |")

    summary = {"tool": "crypto-ceiling", "openssl": version, "identifiers_per_customer": round(identifiers, 3),
               "hashes_per_customer": round(hashes, 3), "event_identifiers": args.event_identifiers,
               "ns_per_op": {f"{a}/{s}": round(ns, 1) for (a, s), ns in ns_per_op.items()}}
    for name, rows in (("customer", customer), ("event", event)):
        print(f"\nOne {name} row ({source if name == 'customer' else f'{args.event_identifiers:g} identifier'}):\n")
        print("| work | bytes | priced at block | ops per row | ns per row |")
        print("|---|---:|---:|---:|---:|")
        total = 0.0
        for what, algorithm, length, count in rows:
            size, ns = price(algorithm, length)
            total += ns * count
            print(f"| {what} | {length} | {size} | {count:.2f} | {ns * count:,.0f} |")
        print(f"| **crypto per {name}** | | | | **{total:,.0f}** |")
        print(f"\nCeiling from crypto alone: {1e9 / total:,.0f} {name}s/s on one core, "
              f"{2e9 / total:,.0f} on two.")
        summary[f"ns_per_{name}"] = round(total, 1)
        summary[f"{name}s_per_s_1_core"] = round(1e9 / total)
        summary[f"{name}s_per_s_2_cores"] = round(2e9 / total)
    print()
    print(json.dumps(summary))


if __name__ == "__main__":
    sys.exit(main())
