/// A set of items that at least the miner's minimum number of transactions contain, with that number.
public struct FrequentItemset: Sendable, Hashable {
    /// The items, ascending, without repeats.
    public let items: [UInt32]
    /// The number of transactions that contain every item of the set.
    public let support: Int

    /// An itemset with its support; `items` must be ascending without repeats.
    public init(items: [UInt32], support: Int) {
        self.items = items
        self.support = support
    }
}

extension FrequentItemset: CustomStringConvertible {
    /// The items in braces and the support, as `{3, 9, 34} × 120`.
    public var description: String {
        "{" + self.items.map(String.init).joined(separator: ", ") + "} × \(self.support)"
    }
}
