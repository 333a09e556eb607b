/// FP-growth (Han, Pei and Yin, 2000) with perfect-extension pruning, over one reusable ``FPTree`` per depth.
///
/// For each item of a tree, from the last to the first, the itemset grown so far plus that item is reported,
/// and the transactions holding the item (its nodes' paths, cut before the item) are projected into the next
/// tree, keeping only the items frequent among them. An item found in *every* projected transaction is a
/// perfect extension: instead of being projected, it is set aside and every report below combines with
/// every subset of the items set aside, whose support it shares (Borgelt's perfect-extension pruning, which
/// keeps dense data such as mushroom's tractable).
///
/// A projection walks each node's path up once to count the items and once more, up to the first node
/// already mapped, to build the projected tree; each source node remembers its image in the projected
/// tree, so a shared prefix is inserted once.
///
/// The state lives behind constant pointers, so the recursion pays no exclusivity checks.
final class FPGrowth {
    private let minimumSupport: Int32
    private let maximumLength: Int
    /// One tree per depth; `treeCount` of them are initialized.
    private let trees: UnsafeMutablePointer<FPTree>
    private var treeCount = 0
    /// The itemset being grown, as output codes, in the order the items were added.
    private let itemset: UnsafeMutablePointer<Int32>
    /// While reporting: the itemset's codes ascending, the perfect extensions' codes ascending, and those of
    /// them chosen for the set being reported.
    private let sortedItemset: UnsafeMutablePointer<Int32>
    private let sortedPerfect: UnsafeMutablePointer<Int32>
    private let chosen: UnsafeMutablePointer<Int32>
    /// The perfect extensions set aside, as output codes, outermost first.
    private let perfect: UnsafeMutablePointer<Int32>
    /// The items kept for the next projected tree: their output codes and supports.
    private let keptCodes: UnsafeMutablePointer<Int32>
    private let keptSupports: UnsafeMutablePointer<Int32>
    /// The path from a node up to its first mapped ancestor, while projecting.
    private let path: UnsafeMutablePointer<Int32>
    /// The items met while counting a projection, one bit each (all clear between projections).
    private let touched: UnsafeMutablePointer<UInt64>
    /// The frequent itemsets found.
    let found: ItemsetSink

    /// Builds the tree of `transactions` (in `coding`'s codes) for itemsets of at most `maximumLength` items in
    /// at least `minimumSupport` transactions.
    init(transactions: [[UInt32]], coding: ItemCoding, minimumSupport: Int, maximumLength: Int) {
        self.minimumSupport = Int32(clamping: minimumSupport)
        self.maximumLength = maximumLength
        let itemCount = coding.supportOfRank.count
        self.trees = .allocate(capacity: itemCount + 1)
        self.itemset = .allocate(capacity: itemCount + 1)
        self.perfect = .allocate(capacity: itemCount + 1)
        self.sortedItemset = .allocate(capacity: itemCount + 1)
        self.sortedPerfect = .allocate(capacity: itemCount + 1)
        self.chosen = .allocate(capacity: itemCount + 1)
        self.keptCodes = .allocate(capacity: itemCount + 1)
        self.keptSupports = .allocate(capacity: itemCount + 1)
        self.path = .allocate(capacity: itemCount + 1)
        self.touched = .allocate(capacity: itemCount / 64 + 1)
        self.touched.initialize(repeating: 0, count: itemCount / 64 + 1)
        self.found = ItemsetSink(codeCount: itemCount)
        guard itemCount > 0 else { return }

        // A tree has at most one node per frequent item of each transaction, plus the root; shared prefixes
        // make it smaller on dense data, so the child table starts at a guess.
        let tree = self.tree(at: 0)
        let occurrences = coding.supportOfRank.reduce(0) { $0 + Int($1) }
        coding.orderOfRank.withUnsafeBufferPointer { codes in
            coding.supportOfRank.withUnsafeBufferPointer { supports in
                tree.pointee.reset(
                    codes: codes.baseAddress!, supports: supports.baseAddress!, itemCount: itemCount,
                    nodeCapacity: occurrences + 1, childEstimate: min(occurrences, 2 * transactions.count)
                )
            }
        }
        // Each transaction's frequent items as ascending ranks without repeats, inserted as a path: the ranks
        // are set as bits of a bitmap, then read back in order, clearing the words read. The previous path is
        // kept, so the prefix a transaction shares with the one before it needs no search.
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: (itemCount + 63) / 64)
        words.initialize(repeating: 0, count: (itemCount + 63) / 64)
        let previousRanks = UnsafeMutablePointer<Int32>.allocate(capacity: itemCount)
        let previousNodes = UnsafeMutablePointer<Int32>.allocate(capacity: itemCount)
        var previousCount = 0
        defer {
            words.deallocate()
            previousRanks.deallocate()
            previousNodes.deallocate()
        }
        coding.rankOfCode.withUnsafeBufferPointer { rankOfCode in
            for transaction in coding.recoded ?? transactions {
                var (firstWord, lastWord) = (Int.max, -1)
                for code in transaction {
                    let rank = Int(rankOfCode[Int(code)])
                    guard rank >= 0 else { continue }
                    words[rank >> 6] |= 1 << UInt64(rank & 63)
                    firstWord = min(firstWord, rank >> 6)
                    lastWord = max(lastWord, rank >> 6)
                }
                var node: Int32 = 0
                var depth = 0
                var shared = true
                var word = firstWord
                while word <= lastWord {
                    var bits = words[word]
                    words[word] = 0
                    while bits != 0 {
                        let rank = Int32(word << 6 + bits.trailingZeroBitCount)
                        bits &= bits - 1
                        if shared && depth < previousCount && previousRanks[depth] == rank {
                            node = previousNodes[depth]
                        } else {
                            shared = false
                            node = tree.pointee.child(of: node, item: rank)
                            previousRanks[depth] = rank
                            previousNodes[depth] = node
                        }
                        tree.pointee.nodes[Int(node)].count += 1
                        depth += 1
                    }
                    word += 1
                }
                previousCount = depth
            }
        }
    }

    deinit {
        for depth in 0..<self.treeCount { self.trees[depth].deallocate() }
        self.trees.deinitialize(count: self.treeCount)
        self.trees.deallocate()
        for buffer in [
            self.itemset, self.perfect, self.sortedItemset, self.sortedPerfect, self.chosen, self.keptCodes,
            self.keptSupports, self.path,
        ] {
            buffer.deallocate()
        }
        self.touched.deallocate()
    }

    /// Finds every frequent itemset into ``found``.
    func run() {
        if self.treeCount > 0 { self.grow(depth: 0, length: 0, perfectCount: 0) }
    }

    private func tree(at depth: Int) -> UnsafeMutablePointer<FPTree> {
        if depth == self.treeCount {
            (self.trees + depth).initialize(to: FPTree())
            self.treeCount += 1
        }
        return self.trees + depth
    }

    /// Reports every frequent itemset that extends the first `length` items of ``itemset`` with items of the
    /// tree at `depth`, combined with subsets of the first `perfectCount` perfect extensions.
    private func grow(depth: Int, length: Int, perfectCount: Int) {
        let tree = self.trees + depth
        let length = length + 1
        var item = tree.pointee.itemCount - 1
        while item >= 0 {
            let support = tree.pointee.support[item]
            self.itemset[length - 1] = tree.pointee.code[item]
            if length < self.maximumLength && item > 0 {
                let (kept, perfectTotal) = self.countProjection(
                    of: tree, item: Int32(item), support: support, perfectCount: perfectCount
                )
                self.report(length: length, perfectCount: perfectTotal, support: support)
                if kept > 0 {
                    self.project(tree, item: Int32(item), keptCount: kept, into: self.tree(at: depth + 1))
                    self.grow(depth: depth + 1, length: length, perfectCount: perfectTotal)
                }
            } else {
                self.report(length: length, perfectCount: perfectCount, support: support)
            }
            item -= 1
        }
    }

    /// Counts the items on the paths above `item`'s nodes, appends its perfect extensions to ``perfect`` and
    /// lists the frequent others in `keptCodes` and `keptSupports`; returns how many were kept and the new
    /// number of perfect extensions.
    private func countProjection(
        of tree: UnsafeMutablePointer<FPTree>, item: Int32, support: Int32, perfectCount: Int
    ) -> (kept: Int, perfectCount: Int) {
        tree.pointee.stamp += 2
        let countStamp = tree.pointee.stamp - 1
        let nodes = tree.pointee.nodes
        let projectedSupport = tree.pointee.projectedSupport
        // The items met, as bits, so that a sparse projection does not look at every item before `item`.
        let touched = self.touched
        var node = tree.pointee.head[Int(item)]
        while node != 0 {
            let count = nodes[Int(node)].count
            var ancestor = nodes[Int(node)].parent
            while ancestor != 0 {
                let index = Int(ancestor)
                if nodes[index].stamp == countStamp {
                    nodes[index].projectedCount += count
                } else {
                    nodes[index].stamp = countStamp
                    nodes[index].projectedCount = count
                }
                let ancestorItem = Int(nodes[index].item)
                touched[ancestorItem >> 6] |= 1 << UInt64(ancestorItem & 63)
                projectedSupport[ancestorItem] += count
                ancestor = nodes[index].parent
            }
            node = nodes[Int(node)].nextOfItem
        }
        // The kept items keep the tree's order: the bits are read in order, and cleared.
        var kept = 0
        var perfectCount = perfectCount
        let projectedItem = tree.pointee.projectedItem
        let code = tree.pointee.code
        for word in 0..<((Int(item) + 63) >> 6) {
            var bits = touched[word]
            touched[word] = 0
            while bits != 0 {
                let other = word << 6 + bits.trailingZeroBitCount
                bits &= bits - 1
                let otherSupport = projectedSupport[other]
                projectedSupport[other] = 0
                if otherSupport == support {
                    projectedItem[other] = -1
                    self.perfect[perfectCount] = code[other]
                    perfectCount += 1
                } else if otherSupport >= self.minimumSupport {
                    projectedItem[other] = Int32(kept)
                    self.keptCodes[kept] = code[other]
                    self.keptSupports[kept] = otherSupport
                    kept += 1
                } else {
                    projectedItem[other] = -1
                }
            }
        }
        return (kept, perfectCount)
    }

    /// Builds in `target` the tree of the paths above `item`'s nodes, with only the kept items.
    private func project(
        _ tree: UnsafeMutablePointer<FPTree>, item: Int32, keptCount: Int, into target: UnsafeMutablePointer<FPTree>
    ) {
        target.pointee.reset(codes: self.keptCodes, supports: self.keptSupports, itemCount: keptCount)
        let imageStamp = tree.pointee.stamp
        let nodes = tree.pointee.nodes
        let projectedItem = tree.pointee.projectedItem
        let path = self.path
        var node = tree.pointee.head[Int(item)]
        while node != 0 {
            var length = 0
            var ancestor = nodes[Int(node)].parent
            while ancestor != 0 && nodes[Int(ancestor)].stamp != imageStamp {
                path[length] = ancestor
                length += 1
                ancestor = nodes[Int(ancestor)].parent
            }
            var image = ancestor == 0 ? 0 : nodes[Int(ancestor)].image
            while length > 0 {
                length -= 1
                let index = Int(path[length])
                let keptItem = projectedItem[Int(nodes[index].item)]
                if keptItem >= 0 {
                    image = target.pointee.child(of: image, item: keptItem)
                    target.pointee.nodes[Int(image)].count += nodes[index].projectedCount
                }
                nodes[index].image = image
                nodes[index].stamp = imageStamp
            }
            node = nodes[Int(node)].nextOfItem
        }
    }

    /// Reports the first `length` items of ``itemset`` and their unions with every subset of the first
    /// `perfectCount` perfect extensions (as many items as the maximum length allows), all with `support`.
    ///
    /// Both lists are sorted once here, so that each reported set is a merge of two ascending lists.
    private func report(length: Int, perfectCount: Int, support: Int32) {
        Self.sort(self.itemset, count: length, into: self.sortedItemset)
        self.found.append(merging: self.sortedItemset, count: length, with: self.chosen, count: 0, support: support)
        if perfectCount > 0 && length < self.maximumLength {
            Self.sort(self.perfect, count: perfectCount, into: self.sortedPerfect)
            self.reportExtensions(from: 0, chosen: 0, length: length, perfectCount: perfectCount, support: support)
        }
    }

    /// Reports the itemset with the `chosen` perfect extensions in ``chosen`` and each further one from `start`.
    private func reportExtensions(from start: Int, chosen: Int, length: Int, perfectCount: Int, support: Int32) {
        for index in start..<perfectCount {
            self.chosen[chosen] = self.sortedPerfect[index]
            self.found.append(
                merging: self.sortedItemset, count: length, with: self.chosen, count: chosen + 1, support: support
            )
            if length + chosen + 1 < self.maximumLength && index + 1 < perfectCount {
                self.reportExtensions(
                    from: index + 1, chosen: chosen + 1, length: length, perfectCount: perfectCount, support: support
                )
            }
        }
    }

    /// Copies `count` codes from `source` to `target` in ascending order.
    private static func sort(_ source: UnsafePointer<Int32>, count: Int, into target: UnsafeMutablePointer<Int32>) {
        for position in 0..<count {
            let code = source[position]
            var slot = position
            while slot > 0 && target[slot - 1] > code {
                target[slot] = target[slot - 1]
                slot -= 1
            }
            target[slot] = code
        }
    }
}
