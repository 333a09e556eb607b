"""The Python peer of CleanRoom's identifier benchmarks: the same rules (DESIGN.md section 4) with
hashlib, hmac, unicodedata, PyPI `phonenumbers` and `cryptography`, on the same inputs.

Usage: identifiers_peer.py INPUT_DIR RUNS
Prints one JSON object per benchmark: {"name", "peer", "ops", "median_ns_per_op", "checksum"}.
The checksum (XOR-fold of all pseudonyms) lets the runner check both sides computed the same thing.
"""
import hashlib
import hmac
import json
import os
import statistics
import sys
import time
import unicodedata

import phonenumbers
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MATCH_KEY = bytes(range(32))
GMAIL = {"gmail.com", "googlemail.com"}


def normalize_email(raw):
    value = unicodedata.normalize("NFC", raw.strip()).lower()
    local, _, domain = value.partition("@")
    return local, domain


def email_variants(raw):
    local, domain = normalize_email(raw)
    basic = local + "@" + domain
    if domain in GMAIL:
        no_tag = local.split("+", 1)[0].replace(".", "")
        google = no_tag + "@" + domain
        dots = local.replace(".", "") + "@" + domain
    else:
        google = dots = basic
    uid2 = google if domain == "gmail.com" else basic
    return {basic, google, dots, uid2}


def pseudonym(value):
    digest = hashlib.sha256(value.encode("utf-8")).digest()
    return hmac.new(MATCH_KEY, digest, hashlib.sha256).digest()


def fold(acc, mac):
    return acc ^ int.from_bytes(mac[:8], "big")


def bench_emails(lines):
    acc = 0
    for line in lines:
        for variant in email_variants(line):
            acc = fold(acc, pseudonym(variant))
    return acc


def bench_phones(rows):
    acc = 0
    for region, number in rows:
        parsed = phonenumbers.parse(number, region)
        if not phonenumbers.is_valid_number(parsed):
            continue
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        acc = fold(acc, pseudonym(e164))
        acc = fold(acc, pseudonym(e164[1:]))
    return acc


def bench_seal(lines):
    aead = AESGCM(bytes(32))
    acc = 0
    for line in lines:
        sealed = aead.encrypt(os.urandom(12), line.encode("utf-8"), b"subject")
        acc += len(sealed) - 16  # the ciphertext alone, without the tag
    return acc


def measure(name, function, data, runs):
    samples = []
    checksum = None
    for _ in range(runs):
        start = time.perf_counter_ns()
        checksum = function(data)
        samples.append((time.perf_counter_ns() - start) / len(data))
    print(json.dumps({"name": name, "peer": "python", "ops": len(data),
                      "median_ns_per_op": statistics.median(samples), "checksum": checksum}), flush=True)


def main():
    input_dir, runs = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(input_dir, "emails.txt"), encoding="utf-8") as f:
        emails = [line.rstrip("\n") for line in f]
    with open(os.path.join(input_dir, "phones.tsv"), encoding="utf-8") as f:
        phones = [tuple(line.rstrip("\n").split("\t", 1)) for line in f]
    measure("email: normalize 4 profiles + SHA-256 + HMAC", bench_emails, emails, runs)
    measure("phone: parse + validate + 2 forms + SHA-256 + HMAC", bench_phones, phones, runs)
    measure("seal: AES-256-GCM of an e-mail, fresh nonce", bench_seal, emails, runs)


if __name__ == "__main__":
    main()
