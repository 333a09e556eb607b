/// The frequent items of a transaction database, numbered for mining, and the transactions rewritten in
/// those numbers.
///
/// Items are ranked by support, most frequent first (ties by id): FP-tree paths list their items by rank, so
/// the items most transactions share sit near the root and the tree stays small. Each frequent item also has
/// an *order code*, its place among the frequent items' ids in ascending order, which is what the miner
/// writes and sorts its output by.
struct ItemCoding {
    /// The transactions as ascending ranks of their frequent items, without repeats, one after another.
    let ranks: [Int32]
    /// Where each transaction ends in `ranks` (transaction `t` is `ranks[ends[t - 1] ..< ends[t]]`).
    let ends: [Int]
    /// The support of each rank's item.
    let supportOfRank: [Int32]
    /// The order code of each rank's item.
    let orderOfRank: [Int32]
    /// The id of each order code's item.
    let idOfOrder: [UInt32]

    /// Counts the items of `transactions` (an item repeated in a transaction counts once) and keeps those in
    /// at least `minimumSupport` transactions.
    init(transactions: [[UInt32]], minimumSupport: Int) {
        let (codes, idOfCode) = Self.denseCodes(transactions)
        let codeCount = idOfCode.count
        // Support per code, counting a code once per transaction: `lastSeen` holds the last transaction seen.
        var support = [Int32](repeating: 0, count: codeCount)
        var lastSeen = [Int32](repeating: -1, count: codeCount)
        var position = 0
        for (index, transaction) in transactions.enumerated() {
            let number = Int32(truncatingIfNeeded: index)
            for _ in 0..<transaction.count {
                let code = Int(codes[position])
                position += 1
                if lastSeen[code] != number {
                    lastSeen[code] = number
                    support[code] += 1
                }
            }
        }
        let threshold = Int32(clamping: minimumSupport)
        let frequent = (0..<codeCount).filter { support[$0] >= threshold }
        let byRank = frequent.sorted { left, right in
            support[left] != support[right] ? support[left] > support[right] : idOfCode[left] < idOfCode[right]
        }
        let byOrder = frequent.sorted { idOfCode[$0] < idOfCode[$1] }
        var orderOfCode = [Int32](repeating: -1, count: codeCount)
        for (order, code) in byOrder.enumerated() { orderOfCode[code] = Int32(order) }
        var rankOfCode = [Int32](repeating: -1, count: codeCount)
        for (rank, code) in byRank.enumerated() { rankOfCode[code] = Int32(rank) }

        self.supportOfRank = byRank.map { support[$0] }
        self.orderOfRank = byRank.map { orderOfCode[$0] }
        self.idOfOrder = byOrder.map { idOfCode[$0] }
        (self.ranks, self.ends) = Self.rankedTransactions(transactions, codes: codes, rankOfCode: rankOfCode)
    }

    /// The items of every transaction, one after another, as dense codes `0 ..< idOfCode.count`: the id itself
    /// when ids are small enough for a table, else numbers given in order of first appearance.
    private static func denseCodes(_ transactions: [[UInt32]]) -> (codes: [Int32], idOfCode: [UInt32]) {
        var total = 0
        var largest: UInt32 = 0
        for transaction in transactions {
            total += transaction.count
            for item in transaction where item > largest { largest = item }
        }
        precondition(total < Int(Int32.max), "at most 2³¹ − 1 items over all transactions")
        if total == 0 { return ([], []) }
        if Int(largest) < max(1 << 16, 4 * total) && largest < UInt32(Int32.max) {
            let codes = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
                var position = 0
                for transaction in transactions {
                    for item in transaction {
                        buffer[position] = Int32(bitPattern: item)
                        position += 1
                    }
                }
                initialized = position
            }
            return (codes, (0...largest).map { $0 })
        }
        var codeOfId: [UInt32: Int32] = [:]
        var idOfCode: [UInt32] = []
        var codes: [Int32] = []
        codes.reserveCapacity(total)
        for transaction in transactions {
            for item in transaction {
                if let code = codeOfId[item] {
                    codes.append(code)
                } else {
                    let code = Int32(idOfCode.count)
                    codeOfId[item] = code
                    idOfCode.append(item)
                    codes.append(code)
                }
            }
        }
        return (codes, idOfCode)
    }

    /// Each transaction's frequent items as ascending ranks without repeats.
    private static func rankedTransactions(
        _ transactions: [[UInt32]], codes: [Int32], rankOfCode: [Int32]
    ) -> (ranks: [Int32], ends: [Int]) {
        var ranks: [Int32] = []
        ranks.reserveCapacity(codes.count)
        var ends: [Int] = []
        ends.reserveCapacity(transactions.count)
        var position = 0
        for transaction in transactions {
            let start = ranks.count
            for _ in 0..<transaction.count {
                let rank = rankOfCode[Int(codes[position])]
                position += 1
                guard rank >= 0 else { continue }
                // Insertion sort, dropping a rank already present (the slot then holds a stale copy).
                var slot = ranks.count
                ranks.append(rank)
                while slot > start && ranks[slot - 1] > rank {
                    ranks[slot] = ranks[slot - 1]
                    slot -= 1
                }
                if slot > start && ranks[slot - 1] == rank {
                    ranks.remove(at: slot)
                } else {
                    ranks[slot] = rank
                }
            }
            ends.append(ranks.count)
        }
        return (ranks, ends)
    }
}
