/// Finds every frequent itemset of a transaction database, with its exact support, by FP-growth.
///
/// A transaction is the items of one person; an item repeated within a transaction counts once. The miner
/// reports every non-empty itemset that at least `minimumSupport` transactions contain, up to
/// `maximumLength` items:
///
/// ```swift
/// let miner = FrequentItemsetMiner(minimumSupport: 3)
/// let itemsets = miner.mine([[1, 2, 5], [2, 4], [2, 3], [1, 2, 4], [1, 3]])
/// // [{1} × 3, {2} × 4]
/// ```
///
/// The algorithm is FP-growth (Han, Pei and Yin 2000) on flat, reused node arrays, with Borgelt's
/// perfect-extension pruning; it runs on the calling thread.
public struct FrequentItemsetMiner: Sendable {
    /// The smallest number of transactions an itemset must be in to be reported (at least 1).
    public let minimumSupport: Int
    /// The largest number of items of a reported itemset, or `nil` for no limit.
    public let maximumLength: Int?

    /// A miner for itemsets in at least `minimumSupport` transactions (an absolute count, at least 1) and of
    /// at most `maximumLength` items (at least 1, `nil` for no limit).
    public init(minimumSupport: Int, maximumLength: Int? = nil) {
        precondition(minimumSupport >= 1, "the minimum support is a count of transactions, at least 1")
        precondition(maximumLength.map { $0 >= 1 } ?? true, "the maximum length is at least 1 item")
        self.minimumSupport = minimumSupport
        self.maximumLength = maximumLength
    }

    /// Every itemset that at least ``minimumSupport`` of `transactions` contain (and of at most
    /// ``maximumLength`` items), with its support, ordered by items ascending lexicographically
    /// (`[1] < [1, 2] < [1, 3] < [2]`).
    public func mine(_ transactions: [[UInt32]]) -> [FrequentItemset] {
        precondition(transactions.count < Int(Int32.max), "at most 2³¹ − 1 transactions")
        let coding = ItemCoding(transactions: transactions, minimumSupport: self.minimumSupport)
        let growth = FPGrowth(
            transactions: transactions, coding: coding, minimumSupport: self.minimumSupport,
            maximumLength: self.maximumLength ?? Int.max
        )
        growth.run()
        return growth.found.sortedItemsets(idOfCode: coding.idOfOrder)
    }
}
