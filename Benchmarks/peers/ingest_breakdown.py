"""Where the ingest's CPU time goes: classifies the samples of a `perf script` dump into stages.

Usage: ingest_breakdown.py [PERF_SCRIPT_OUTPUT] [--frequency 999] [--title TEXT] [--show CATEGORY ...] [--top N]

Input: the text of `perf script -F pid,tid,ip,sym,dso` (stdin when no file is given) over a recording made with
`perf record -F FREQUENCY --call-graph dwarf` (or `-g`; see README.md for why DWARF). Each sample is a header
line `PID/TID`, then one line per frame, leaf first, `ADDRESS SYMBOL (DSO)`, then a blank line.

Swift symbols are demangled with `swift-demangle --simplified` and written `Module.Name`, e.g.
`CleanRoomCrypto.static SHA256.hash(_:)`, so that the rules below match types, not argument lists.

Each sample gets one category:
  1. `leaf` rules, in table order: the leaf's DSO matches, and, when the rule names a frame, some frame of the
     chain matches it (leaf DSO rules first: a sample in libsqlite3 is SQLite whoever called it);
  2. else `walk` rules: the chain is walked from the leaf upwards and the first frame that matches any `walk`
     rule (in table order at that frame) decides, so malloc, retain/release or a page fault counts for the
     nearest stage that asked for it;
  3. else `fallback` rules on the leaf DSO alone;
  4. else `other`.
CPU seconds are samples / frequency. The table splits them between the busiest thread (the one with the most
samples: the ingest's main thread, which reads the file and commits each batch) and the other threads (the
parallel stage that parses, validates, normalizes and pseudonymizes the next batch).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

KERNEL = r"\[kernel\.kallsyms\]"
SQLITE = r"libsqlite3"
PHONE_LIBRARIES = r"libphonenumber|libicu|libprotobuf|libabsl"

# The rules, in order: (stage, category, leaf DSO, frame symbol, frame DSO). A regex of None is not checked; a
# frame matches when its symbol matches the symbol regex or its DSO the DSO regex.
RULES = [
    ("leaf", "SQLite (libsqlite3)", SQLITE, None, None),
    ("leaf", "SQLite commit I/O (kernel)", KERNEL, None, SQLITE),
    ("leaf", "reading the file (kernel)", KERNEL, r"^ksys_read$", None),
    ("leaf", "phone parsing", PHONE_LIBRARIES, None, None),
    ("walk", "SQLite (libsqlite3)", None, None, SQLITE),
    ("walk", "SQLite: the store's Swift code (CleanRoomStore, GRDB)", None, r"^(CleanRoomStore|GRDB)\.", None),
    ("walk", "phone parsing", None, r"PhoneNormalizer|CPhoneNumber|cphonenumber|i18n::phonenumbers",
     PHONE_LIBRARIES),
    ("walk", "crypto: hashes and pseudonyms", None,
     r"^CleanRoomCrypto\..*\b(SHA256|SHA256Hasher|DigestState|HMACSHA256|MACContext)\b"
     r"|^CleanRoomCore\..*\b(MatchHash|Pseudonym)\b", None),
    ("walk", "crypto: data keys and sealing", None,
     r"^CleanRoomCrypto\..*\b(DataKey|Keyring|WrappedDataKey|AES256GCM|CipherContext|SecureRandom|SymmetricKey)\b",
     None),
    ("walk", "JSON parsing", None, r"^CleanRoomCore\..*\bCanonicalJSON\.(Parser\b|parse\b)", None),
    ("walk", "validation", None,
     r"^CleanRoomIngest\..*\b(RecordParser|RFC3339)\b|^CleanRoomCore\..*\bPolicy\b|ISO8601", None),
    ("walk", "normalization (e-mail, device, customer ids)", None,
     r"^CleanRoomCore\..*\b(IdentifierNormalizer|EmailAddress|EmailNormalizer|EmailProfile|DeviceIDNormalizer"
     r"|CustomerIDNormalizer|UnicodeText|NormalizationRule)\b", None),
    ("walk", "reading the file", None, r"^CleanRoomIngest\..*\b(IngestInput|BatchReader)\b", None),
    ("walk", "rejects and audit", None,
     r"^CleanRoomIngest\..*\b(RejectsFile|IngestReject)\b|^CleanRoomAudit\.|^CleanRoomCLI\..*\bHomeAuditLog\b",
     None),
    ("walk", "event keys (canonical JSON; their SHA-256 is under hashes)", None,
     r"^CleanRoomIngest\..*\bBatchWork\.eventKey\b", None),
    ("walk", "identity resolution and batch logic", None,
     r"^CleanRoomIngest\..*\b(BatchWork|IdentityIndex|Ingestor|PreparingBatch|PreparedRow|IngestRecord)\b", None),
    ("walk", "start-up (self-test, policy, keys)", None,
     r"^CleanRoomCrypto\..*\b(CryptoSelfTest|FetchedAlgorithms|KnownAnswerTest)\b"
     r"|^CleanRoomCore\..*\bPolicy(Loader|Decoder)\b|^ArgumentParser\.|_dl_start_user|_dl_init", r"ld-linux"),
    ("fallback", "kernel (other)", KERNEL, None, None),
]
OTHER = "other"

FRAME = re.compile(r"^\s*[0-9a-f]+ (.*) \(([^()]*)\)$")


def parse_samples(lines):
    """Yields ((pid or None, tid), [(symbol, dso), ...] leaf first) per sample of `perf script` text."""
    thread, frames = None, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if thread is not None and frames:
                yield thread, frames
            thread, frames = None, []
        elif FRAME.match(line) is None:
            # `-F pid,tid,…` writes `PID/TID`, `-F tid,…` writes `TID` (right-aligned by some perf versions); a
            # `comm` field may come first. Frames are the lines that end in `(dso)`.
            match = re.search(r"(?:^|\s)(?:(\d+)/)?(\d+)(?:\s|$)", line)
            if match is None:
                raise SystemExit(f"no thread id in the sample header {line[:80]!r}: use perf script -F pid,tid,…")
            thread, frames = (match.group(1), match.group(2)), []
        else:
            match = FRAME.match(line)
            if match:
                frames.append((match.group(1), match.group(2)))
    if thread is not None and frames:
        yield thread, frames


def swift_module(mangled):
    """The module of a Swift symbol, from its first length-prefixed identifier (`$s14CleanRoomStore…`)."""
    match = re.match(r"\$s(\d+)", mangled)
    if match:
        start = match.end()
        return mangled[start:start + int(match.group(1))]
    return "Swift" if mangled.startswith(("$ss", "$sS")) else "?"


def demangler():
    found = shutil.which("swift-demangle")
    if not found and shutil.which("swift"):
        sibling = os.path.join(os.path.dirname(os.path.realpath(shutil.which("swift"))), "swift-demangle")
        found = sibling if os.access(sibling, os.X_OK) else None
    if not found:
        raise SystemExit("swift-demangle not found: put the Swift toolchain's bin directory on PATH")
    return found


def readable_names(symbols):
    """Maps each Swift symbol to `Module.demangled name`; other symbols stay as they are."""
    swift = sorted(symbol for symbol in symbols if symbol.startswith("$s"))
    names = {symbol: symbol for symbol in symbols}
    if swift:
        output = subprocess.run([demangler(), "--simplified", "--compact"], input="\n".join(swift) + "\n",
                                capture_output=True, text=True, check=True).stdout.split("\n")
        for symbol, demangled in zip(swift, output):
            names[symbol] = f"{swift_module(symbol)}.{demangled}"
    return names


def compile_rules():
    compiled = []
    for stage, category, leaf, symbol, dso in RULES:
        compiled.append((stage, category, *(re.compile(p) if p else None for p in (leaf, symbol, dso))))
    return compiled


def frame_matches(frame, symbol, dso):
    return bool((symbol and symbol.search(frame[0])) or (dso and dso.search(frame[1])))


def classify(frames, rules):
    """The category of one sample (frames leaf first, symbols readable) and the index of the frame that decided."""
    # A frame perf marks `inlined` lives in the DSO of the next real frame.
    leaf_dso = next((dso for _, dso in frames if dso != "inlined"), "")
    for stage, category, leaf, symbol, dso in rules:
        if stage == "leaf" and leaf.search(leaf_dso):
            if symbol is None and dso is None:
                return category, 0
            for index, frame in enumerate(frames):
                if frame_matches(frame, symbol, dso):
                    return category, index
    for index, frame in enumerate(frames):
        for stage, category, leaf, symbol, dso in rules:
            if stage == "walk" and (leaf is None or leaf.search(leaf_dso)) and frame_matches(frame, symbol, dso):
                return category, index
    for stage, category, leaf, _, _ in rules:
        if stage == "fallback" and leaf.search(leaf_dso):
            return category, 0
    return OTHER, next((i for i, (name, _) in enumerate(frames) if name.startswith("CleanRoom")), 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("perf_script", nargs="?",
                        help="`perf script -F pid,tid,ip,sym,dso` output (default: stdin)")
    parser.add_argument("--frequency", type=float, default=999, help="the -F of perf record, samples/s per CPU")
    parser.add_argument("--title", default=None, help="a line printed above the table")
    parser.add_argument("--show", action="append", default=[], metavar="CATEGORY",
                        help="also list what a category holds: its deciding frames and leaf symbols, biggest first "
                             "(for `other` the deciding frame is the innermost of CleanRoom's own); repeatable")
    parser.add_argument("--top", type=int, default=15, help="lines per --show list")
    args = parser.parse_args()

    source = open(args.perf_script, encoding="utf-8", errors="replace") if args.perf_script else sys.stdin
    samples = list(parse_samples(source))
    if not samples:
        raise SystemExit("no samples: is the input `perf script -F pid,tid,ip,sym,dso` output with call chains?")
    names = readable_names({symbol for _, frames in samples for symbol, _ in frames})
    rules = compile_rules()

    by_category = collections.Counter()
    by_thread = collections.Counter()
    per_thread = collections.Counter()
    deciding, leaves = collections.Counter(), collections.Counter()
    kernel_leaf = collections.Counter()
    for thread, frames in samples:
        readable = [(names[symbol], dso) for symbol, dso in frames]
        category, index = classify(readable, rules)
        by_category[category] += 1
        by_thread[(thread, category)] += 1
        per_thread[thread] += 1
        if re.search(KERNEL, readable[0][1]):
            kernel_leaf[category] += 1
        if category in args.show:
            deciding[(category, readable[index][0][:120])] += 1
            leaves[(category, f"{readable[0][0][:100]} ({os.path.basename(readable[0][1])})")] += 1

    (pid, busiest), busiest_samples = per_thread.most_common(1)[0]
    total = len(samples)
    rest = total - busiest_samples
    hz = args.frequency

    def seconds(count):
        return f"{count / hz:,.2f}"

    def share(count, whole):
        return f"{100 * count / whole:.1f}%" if whole else "-"

    if args.title:
        print(f"\n{args.title}\n")
    print(f"| stage | CPU s | % of CPU | main thread s | % of main | parallel stage s | % of parallel |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    order = sorted(by_category, key=lambda c: (c == OTHER, -by_category[c]))
    for category in order:
        main_count = by_thread[((pid, busiest), category)]
        rest_count = by_category[category] - main_count
        print(f"| {category} | {seconds(by_category[category])} | {share(by_category[category], total)} "
              f"| {seconds(main_count)} | {share(main_count, busiest_samples)} "
              f"| {seconds(rest_count)} | {share(rest_count, rest)} |")
    print(f"| **total** | {seconds(total)} | 100% | {seconds(busiest_samples)} | {share(busiest_samples, total)} "
          f"of CPU | {seconds(rest)} | {share(rest, total)} of CPU |")
    role = "" if pid is None else ", the process's main thread" if pid == busiest else ", not the main thread"
    kernel = ", ".join(f"{category} {seconds(count)}" for category, count in kernel_leaf.most_common()
                       if count / hz >= 0.005)
    print(f"\n{total:,} samples at {hz:g} Hz. Main thread: the busiest, tid {busiest}{role}; parallel stage: the "
          f"other {len(per_thread) - 1} threads. Leaf in the kernel: {seconds(sum(kernel_leaf.values()))} s "
          f"({kernel}).")
    for category in args.show:
        for title, counter in (("deciding frame", deciding), ("leaf", leaves)):
            print(f"\n`{category}` by {title} (CPU s):")
            entries = [(name, count) for (c, name), count in counter.most_common() if c == category]
            for name, count in entries[:args.top]:
                print(f"  {count / hz:8.3f}  {name}")


if __name__ == "__main__":
    main()
