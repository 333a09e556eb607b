/// The frequent items of a transaction database, numbered for mining.
///
/// Items are ranked by support, most frequent first (ties by id): FP-tree paths list their items by rank, so
/// the items most transactions share sit near the root and the tree stays small. Each frequent item also has
/// an *order code*, its place among the frequent items' ids in ascending order, which is what the miner
/// writes and sorts its output by.
///
/// Items are first given dense *codes*: the id itself when ids are small enough to index tables (below 65,536 or
/// the number of items over all transactions), else numbers in order of first appearance (then ``recoded``
/// holds the transactions in those codes).
struct ItemCoding {
    /// The number of codes (the largest code + 1).
    let codeCount: Int
    /// The transactions in codes, when codes are not the ids themselves.
    let recoded: [[UInt32]]?
    /// The rank of each code's item, or -1 when it is not frequent.
    let rankOfCode: [Int32]
    /// The support of each rank's item.
    let supportOfRank: [Int32]
    /// The order code of each rank's item.
    let orderOfRank: [Int32]
    /// The id of each order code's item.
    let idOfOrder: [UInt32]

    /// Counts the items of `transactions` (an item repeated in a transaction counts once) and keeps those in
    /// at least `minimumSupport` transactions.
    init(transactions: [[UInt32]], minimumSupport: Int) {
        var total = 0
        var largest: UInt32 = 0
        for transaction in transactions {
            total += transaction.count
            for item in transaction where item > largest { largest = item }
        }
        precondition(total < Int(Int32.max), "at most 2³¹ − 1 items over all transactions")
        let idOfCode: [UInt32]?
        if total == 0 {
            (self.codeCount, self.recoded, idOfCode) = (0, nil, nil)
        } else if Int(largest) < max(1 << 16, total) {
            // Tables indexed by id cost 16 bytes per id: at most four times the items' own 4 bytes each.
            (self.codeCount, self.recoded, idOfCode) = (Int(largest) + 1, nil, nil)
        } else {
            var codeOfId: [UInt32: UInt32] = [:]
            var ids: [UInt32] = []
            self.recoded = transactions.map { transaction in
                transaction.map { item in
                    if let code = codeOfId[item] { return code }
                    let code = UInt32(ids.count)
                    codeOfId[item] = code
                    ids.append(item)
                    return code
                }
            }
            (self.codeCount, idOfCode) = (ids.count, ids)
        }

        let support = Self.supports(of: self.recoded ?? transactions, codeCount: self.codeCount)
        let threshold = Int32(clamping: minimumSupport)
        let frequent = (0..<self.codeCount).filter { support[$0] >= threshold }
        func id(_ code: Int) -> UInt32 { idOfCode?[code] ?? UInt32(code) }
        let byRank = frequent.sorted { support[$0] != support[$1] ? support[$0] > support[$1] : id($0) < id($1) }
        let byOrder = frequent.sorted { id($0) < id($1) }
        var orderOfCode = [Int32](repeating: -1, count: self.codeCount)
        for (order, code) in byOrder.enumerated() { orderOfCode[code] = Int32(order) }
        var rankOfCode = [Int32](repeating: -1, count: self.codeCount)
        for (rank, code) in byRank.enumerated() { rankOfCode[code] = Int32(rank) }
        self.rankOfCode = rankOfCode
        self.supportOfRank = byRank.map { support[$0] }
        self.orderOfRank = byRank.map { orderOfCode[$0] }
        self.idOfOrder = byOrder.map(id)
    }

    /// The number of transactions holding each code, counting a code once per transaction.
    private static func supports(of transactions: [[UInt32]], codeCount: Int) -> [Int32] {
        var support = [Int32](repeating: 0, count: codeCount)
        // The last transaction each code was counted in.
        var lastSeen = [Int32](repeating: -1, count: codeCount)
        support.withUnsafeMutableBufferPointer { support in
            lastSeen.withUnsafeMutableBufferPointer { lastSeen in
                for (index, transaction) in transactions.enumerated() {
                    let number = Int32(truncatingIfNeeded: index)
                    for item in transaction where lastSeen[Int(item)] != number {
                        lastSeen[Int(item)] = number
                        support[Int(item)] += 1
                    }
                }
            }
        }
        return support
    }
}
