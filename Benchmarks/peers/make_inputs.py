"""Writes the benchmark inputs: messy e-mails and phone numbers, the same for CleanRoom and its peers.

Usage: make_inputs.py OUT_DIR COUNT
Deterministic (fixed seed), so every run and every peer sees the same values.
"""
import os
import random
import sys

FIRST = ["jane", "john", "anna", "jörg", "marie", "li", "oluwaseun", "zoë", "pierre", "ravi", "yuki", "maría"]
LAST = ["doe", "smith", "müller", "martin", "wang", "okafor", "dubois", "patel", "tanaka", "garcía"]
DOMAINS = ["gmail.com", "googlemail.com", "Example.COM", "yahoo.co.uk", "bücher.de", "outlook.fr", "mail.jp"]
# (region, national number patterns): valid numbers for libphonenumber, written the messy ways people type them.
PHONES = [
    ("DE", ["030 {a}{b}", "+49 (0)30 {a}{b}", "0049 30 {a}{b}", "0151 {a}{b}"]),
    ("GB", ["020 7946 {c}", "+44 (0)20 7946 {c}", "07700 900{d}"]),
    ("FR", ["01 42 68 {e} {f}", "+33 1 42 68 {e} {f}", "06 12 34 {e} {f}"]),
    ("US", ["(201) 555-{c}", "+1 201-555-{c}", "201.555.{c}"]),
    ("IN", ["098765 {c}{d}", "+91 98765 {c}{d}"]),
    ("BR", ["(11) 9{c}-{c}", "+55 11 9{c}-{c}"]),
    ("JP", ["03-1234-{c}", "+81 3-1234-{c}"]),
]


def email(rng):
    local = rng.choice(FIRST) + rng.choice([".", "_", ""]) + rng.choice(LAST)
    if rng.random() < 0.3:
        local = local.upper() if rng.random() < 0.5 else local.capitalize()
    if rng.random() < 0.25:
        local += "+" + rng.choice(["news", "shop", "x1"])
    local += str(rng.randrange(10000))
    pad = rng.choice(["", " ", "\u00a0", "\t"])
    return pad + local + "@" + rng.choice(DOMAINS) + pad


def phone(rng):
    region, patterns = rng.choice(PHONES)
    digits = {
        "a": f"{rng.randrange(1000):03d}", "b": f"{rng.randrange(10000):04d}", "c": f"{rng.randrange(1000, 10000)}",
        "d": f"{rng.randrange(100):02d}", "e": f"{rng.randrange(100):02d}", "f": f"{rng.randrange(100):02d}",
    }
    return region, rng.choice(patterns).format(**digits)


def main():
    out_dir, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(20261125)
    with open(os.path.join(out_dir, "emails.txt"), "w", encoding="utf-8") as f:
        for _ in range(count):
            f.write(email(rng) + "\n")
    with open(os.path.join(out_dir, "phones.tsv"), "w", encoding="utf-8") as f:
        for _ in range(count):
            region, number = phone(rng)
            f.write(f"{region}\t{number}\n")


if __name__ == "__main__":
    main()
