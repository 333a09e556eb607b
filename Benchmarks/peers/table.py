"""Prints the benchmark results (JSON lines from CleanRoom and its peers) as one table with ratios."""
import json
import statistics
import sys


def main():
    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    passes = {}
    for row in rows:
        passes.setdefault((row["name"], row["peer"]), []).append(row)
    by_name = {}
    for (name, peer), samples in passes.items():
        merged = dict(samples[0])
        merged["median_ns_per_op"] = statistics.median(s["median_ns_per_op"] for s in samples)
        merged["checksum"] = samples[0]["checksum"] if all(s["checksum"] == samples[0]["checksum"] for s in samples) else None
        by_name.setdefault(name, {})[peer] = merged
    print()
    print(f"| {'benchmark':<55} | {'CleanRoom ns/op':>15} | {'peer':<8} | {'peer ns/op':>10} | {'peer / CleanRoom':>16} | same result |")
    print(f"|{'-' * 57}|{'-' * 17}|{'-' * 10}|{'-' * 12}|{'-' * 18}|-------------|")
    for name, sides in by_name.items():
        ours = sides.get("cleanroom")
        for peer, theirs in sides.items():
            if peer == "cleanroom":
                continue
            ratio = theirs["median_ns_per_op"] / ours["median_ns_per_op"] if ours else float("nan")
            same = "yes" if ours and ours.get("checksum") == theirs.get("checksum") else "no"
            ours_ns = f"{ours['median_ns_per_op']:.0f}" if ours else "-"
            print(f"| {name:<55} | {ours_ns:>15} | {peer:<8} | {theirs['median_ns_per_op']:>10.0f} | {ratio:>15.1f}x | {same:<11} |")
    runs = sys.argv[2] if len(sys.argv) > 2 else "?"
    print(f"\n{rows[0]['ops'] if rows else 0} values a pass; medians of {runs} alternating passes; "
          "ratio > 1 means CleanRoom is faster.")


if __name__ == "__main__":
    main()
