import CleanRoomAnalytics
import CleanRoomTestSupport

/// Letters as items, `a` = 1 … `z` = 26, ascending: the textbook examples are written with letters.
func letters(_ word: String) -> [UInt32] {
    word.unicodeScalars.map { UInt32($0.value - UnicodeScalar("a").value + 1) }.sorted()
}

/// Every itemset of at least `minimumSupport` transactions and at most `maximumLength` items, counted by
/// enumerating every subset of the items present (for small universes only), ordered like the miner's output.
func bruteForceItemsets(_ transactions: [[UInt32]], minimumSupport: Int, maximumLength: Int?) -> [FrequentItemset] {
    let universe = Array(Set(transactions.joined())).sorted()
    precondition(universe.count <= 16, "brute force over at most 16 items")
    let sets = transactions.map(Set.init)
    var found: [FrequentItemset] = []
    for mask in 1..<(1 << universe.count) {
        let items = universe.indices.filter { mask & (1 << $0) != 0 }.map { universe[$0] }
        if let maximumLength, items.count > maximumLength { continue }
        let support = sets.count { set in items.allSatisfy(set.contains) }
        if support >= minimumSupport { found.append(FrequentItemset(items: items, support: support)) }
    }
    return found.sorted { $0.items.lexicographicallyPrecedes($1.items) }
}

/// Random transactions over `itemCount` items: small ids, or large ones to exercise the sparse item coding;
/// some items repeated within a transaction.
func randomTransactions(using generator: inout SplitMix64, itemCount: Int, largeIds: Bool) -> [[UInt32]] {
    let ids: [UInt32] = (0..<itemCount).map { index in
        largeIds ? UInt32.random(in: 1_000_000...UInt32.max, using: &generator) : UInt32(index)
    }
    let transactionCount = Int.random(in: 0...40, using: &generator)
    // A skewed pick, so some items are frequent and some itemsets dense.
    return (0..<transactionCount).map { _ in
        (0..<Int.random(in: 0...9, using: &generator)).map { _ in
            let draw = Double.random(in: 0..<1, using: &generator)
            return ids[min(itemCount - 1, Int(draw * draw * Double(itemCount)))]
        }
    }
}
