"""Frequent-itemset mining peers for Benchmarks/rules.sh: pyfim's and mlxtend's FP-growth on a FIMI file.

    Benchmarks/.peers/bin/python Benchmarks/peers/rules_peer.py pyfim|mlxtend FILE.dat MINIMUM_SUPPORT RUNS
        [--budget SECONDS]

Reads the file (untimed), then times RUNS calls of the miner alone and prints one JSON line per run, as
rules-bench does: {"tool": "rules-bench", "peer": …, "data": …, "support": …, "run": …, "transactions": …,
"itemsets": …, "support_sum": …, "ms": …}.

- pyfim: `fim.fpgrowth(transactions, target='s', supp=-MINIMUM_SUPPORT, zmin=1, report='a')` on the list of
  lists of ints (its conversion of the Python lists is inside the call, and so inside the time, as CleanRoom's
  recoding of its arrays is). pyfim omits the single-item set of an item in every transaction, so its count is
  one lower on mushroom (item 85).
- mlxtend: `mlxtend.frequent_patterns.fpgrowth(frame, min_support=MINIMUM_SUPPORT / N)` on a one-hot
  pandas DataFrame of bools built with `TransactionEncoder` before the clock starts: the one-hot conversion,
  which mlxtend needs and the others do not, is left out of its time.

After a run, no further run starts once the runs so far took more than --budget seconds (default 20): mlxtend
takes minutes at low supports. At least one run is always made.
"""
import json
import os
import sys
import time


def read_transactions(path):
    with open(path, encoding="ascii") as file:
        return [[int(item) for item in line.split()] for line in file]


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    budget = 20.0
    if "--budget" in sys.argv:
        budget = float(sys.argv[sys.argv.index("--budget") + 1])
        arguments.remove(sys.argv[sys.argv.index("--budget") + 1])
    peer, path, support, runs = arguments[0], arguments[1], int(arguments[2]), int(arguments[3])
    transactions = read_transactions(path)
    count = len(transactions)

    if peer == "pyfim":
        import fim

        def mine():
            result = fim.fpgrowth(transactions, target="s", supp=-support, zmin=1, report="a")
            return len(result), sum(s for _, s in result), result
    elif peer == "mlxtend":
        import pandas
        from mlxtend.frequent_patterns import fpgrowth
        from mlxtend.preprocessing import TransactionEncoder

        encoder = TransactionEncoder()
        frame = pandas.DataFrame(encoder.fit(transactions).transform(transactions), columns=encoder.columns_)

        def mine():
            result = fpgrowth(frame, min_support=support / count)
            return len(result), int(round(sum(result["support"]) * count)), result
    else:
        sys.exit(f"unknown peer {peer}: pyfim or mlxtend")

    name = os.path.splitext(os.path.basename(path))[0]
    spent = 0.0
    for run in range(runs):
        start = time.perf_counter()
        itemsets, support_sum, result = mine()
        seconds = time.perf_counter() - start
        del result  # freed after the clock stops
        spent += seconds
        print(json.dumps({"tool": "rules-bench", "peer": peer, "data": name, "support": support, "run": run,
                          "transactions": count, "itemsets": itemsets, "support_sum": support_sum,
                          "ms": seconds * 1e3}), flush=True)
        if spent > budget:
            break


if __name__ == "__main__":
    main()
