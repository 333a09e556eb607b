/// Association rules from frequent itemsets.
public enum AssociationRules {
    /// Every rule `A → B` whose union `A ∪ B` is one of `itemsets` (of at least two items), `A` and `B`
    /// non-empty and disjoint, with a confidence `support(A ∪ B) / support(A)` of at least
    /// `minimumConfidence`, ordered by antecedent, then consequent (each lexicographically, ascending).
    ///
    /// The supports of both sides are looked up among `itemsets`, which must therefore hold every non-empty
    /// subset of each of its itemsets, as a ``FrequentItemsetMiner``'s output does (its `maximumLength`
    /// included). Consequents grow one item at a time from those that passed: moving an item from the
    /// antecedent to the consequent never raises the confidence, so a failed consequent's supersets are
    /// never tried.
    public static func generate(from itemsets: [FrequentItemset], minimumConfidence: Double) -> [AssociationRule] {
        var supportOf: [[UInt32]: Int] = [:]
        supportOf.reserveCapacity(itemsets.count)
        for itemset in itemsets { supportOf[itemset.items] = itemset.support }
        func support(_ items: [UInt32]) -> Int {
            guard let support = supportOf[items] else {
                preconditionFailure("the itemsets must hold every subset of each itemset, as a miner's output does")
            }
            return support
        }

        var rules: [AssociationRule] = []
        for itemset in itemsets where itemset.items.count >= 2 {
            let items = itemset.items
            precondition(items.count < 64, "association rules of itemsets of at most 63 items")
            let whole: UInt64 = (1 << UInt64(items.count)) - 1
            func split(_ consequent: UInt64) -> AssociationRule? {
                var antecedentItems: [UInt32] = []
                var consequentItems: [UInt32] = []
                for (position, item) in items.enumerated() {
                    if consequent & (1 << UInt64(position)) != 0 {
                        consequentItems.append(item)
                    } else {
                        antecedentItems.append(item)
                    }
                }
                let antecedentSupport = support(antecedentItems)
                guard Double(itemset.support) / Double(antecedentSupport) >= minimumConfidence else { return nil }
                return AssociationRule(
                    antecedent: antecedentItems, consequent: consequentItems, support: itemset.support,
                    antecedentSupport: antecedentSupport, consequentSupport: support(consequentItems)
                )
            }
            // Consequents of one item, then of m + 1 items whose every m-item subset passed.
            var passed: [UInt64] = []
            for position in 0..<items.count {
                if let rule = split(1 << UInt64(position)) {
                    rules.append(rule)
                    passed.append(1 << UInt64(position))
                }
            }
            while !passed.isEmpty {
                let passedSet = Set(passed)
                var next: [UInt64] = []
                for consequent in passed {
                    let highest = 63 - consequent.leadingZeroBitCount
                    for position in (highest + 1)..<items.count {
                        let candidate = consequent | (1 << UInt64(position))
                        guard candidate != whole, Self.everySubsetPassed(candidate, passed: passedSet) else { continue }
                        if let rule = split(candidate) {
                            rules.append(rule)
                            next.append(candidate)
                        }
                    }
                }
                passed = next
            }
        }
        rules.sort { left, right in
            left.antecedent != right.antecedent
                ? left.antecedent.lexicographicallyPrecedes(right.antecedent)
                : left.consequent.lexicographicallyPrecedes(right.consequent)
        }
        return rules
    }

    /// Whether every subset of `candidate` with one item fewer is in `passed`.
    private static func everySubsetPassed(_ candidate: UInt64, passed: Set<UInt64>) -> Bool {
        var remaining = candidate
        while remaining != 0 {
            let bit = remaining & (~remaining &+ 1)
            if !passed.contains(candidate & ~bit) { return false }
            remaining &= remaining - 1
        }
        return true
    }
}
