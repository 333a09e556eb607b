"""Writes the frequent-itemset fixtures the Swift tests compare CleanRoom's miner with, from pyfim.

    Benchmarks/.peers/bin/python Benchmarks/peers/rules_expected.py [DATA_DIR] [FIXTURE_DIR] [--no-mlxtend]

DATA_DIR defaults to ../shared/data beside the package root, FIXTURE_DIR to
Tests/CleanRoomAnalyticsTests/Fixtures. For each data set and support level below, it runs
`fim.fpgrowth(transactions, target='s', supp=-COUNT, zmin=1, report='a')` (pyfim, Borgelt's C code) and writes
`fpgrowth-NAME-COUNT.txt`: '#' comment lines, then one line per itemset, "support item item ...", items
ascending, lines ordered by their items lexicographically (as integers).

pyfim never reports the single-item set of an item that every transaction holds (mushroom's item 85), though it
reports that item's supersets; the script adds those singletons, each with the transaction count as support,
and names them in the file's header. Unless --no-mlxtend, every fixture is also checked against mlxtend's
fpgrowth on a one-hot DataFrame, a second, independent implementation; the script fails on any difference.
"""
import importlib.metadata
import os
import sys

import fim

LEVELS = {"mushroom": [3250, 2437, 1850], "foodmart": [10, 3, 2]}


def read_transactions(path):
    with open(path, encoding="ascii") as file:
        return [[int(item) for item in line.split()] for line in file]


def pyfim_itemsets(transactions, count):
    found = {tuple(sorted(items)): support
             for items, support in fim.fpgrowth(transactions, target="s", supp=-count, zmin=1, report="a")}
    everywhere = set.intersection(*(set(t) for t in transactions)) if transactions else set()
    added = sorted(item for item in everywhere if (item,) not in found and len(transactions) >= count)
    for item in added:
        found[(item,)] = len(transactions)
    return found, added


def mlxtend_itemsets(transactions, count):
    import pandas
    from mlxtend.frequent_patterns import fpgrowth
    from mlxtend.preprocessing import TransactionEncoder

    encoder = TransactionEncoder()
    frame = pandas.DataFrame(encoder.fit(transactions).transform(transactions), columns=encoder.columns_)
    result = fpgrowth(frame, min_support=count / len(transactions), use_colnames=True)
    return {tuple(sorted(items)): round(support * len(transactions))
            for items, support in zip(result["itemsets"], result["support"])}


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    data_dir = arguments[0] if arguments else os.path.join(root, "..", "shared", "data")
    fixture_dir = arguments[1] if len(arguments) > 1 else os.path.join(root, "Tests", "CleanRoomAnalyticsTests",
                                                                        "Fixtures")
    os.makedirs(fixture_dir, exist_ok=True)
    for name, counts in LEVELS.items():
        transactions = read_transactions(os.path.join(data_dir, f"{name}.dat"))
        for count in counts:
            found, added = pyfim_itemsets(transactions, count)
            if "--no-mlxtend" not in sys.argv:
                other = mlxtend_itemsets(transactions, count)
                if other != found:
                    missing, extra = found.keys() - other.keys(), other.keys() - found.keys()
                    wrong = [k for k in found.keys() & other.keys() if found[k] != other[k]]
                    sys.exit(f"{name} at {count}: pyfim and mlxtend differ ({len(missing)} only in pyfim, "
                             f"{len(extra)} only in mlxtend, {len(wrong)} supports differ)")
            path = os.path.join(fixture_dir, f"fpgrowth-{name}-{count}.txt")
            with open(path, "w", encoding="ascii") as file:
                file.write(f"# {name}.dat, {len(transactions)} transactions, minimum support {count}: "
                           f"{len(found)} itemsets\n")
                file.write(f"# pyfim {importlib.metadata.version('pyfim')} fim.fpgrowth(target='s', supp=-{count}, "
                           "zmin=1, report='a')\n")
                if added:
                    file.write("# added, as pyfim omits them: the singletons of items in every transaction: "
                               + " ".join(map(str, added)) + "\n")
                if "--no-mlxtend" not in sys.argv:
                    file.write("# checked: mlxtend fpgrowth finds the same itemsets and supports\n")
                for items in sorted(found):
                    file.write(" ".join(map(str, (found[items],) + items)) + "\n")
            print(f"{path}: {len(found)} itemsets" + (f" ({len(added)} added)" if added else ""))


if __name__ == "__main__":
    main()
