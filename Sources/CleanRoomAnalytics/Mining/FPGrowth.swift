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
final class FPGrowth {
    private let minimumSupport: Int32
    private let maximumLength: Int
    private var trees: [FPTree] = []
    /// The itemset being grown, as output codes (in the order the items were added).
    private var prefix: [Int32] = []
    /// The perfect extensions of the itemset being grown, as output codes.
    private var perfect: [Int32] = []
    /// The items kept for the next projected tree: their output codes and supports.
    private let keptCodes: UnsafeMutablePointer<Int32>
    private let keptSupports: UnsafeMutablePointer<Int32>
    /// The path from a node up to its first mapped ancestor, while projecting.
    private let path: UnsafeMutablePointer<Int32>
    /// The frequent itemsets found.
    private(set) var found = ItemsetBuffer()

    /// Mines `coding`'s transactions for itemsets of at most `maximumLength` items in at least
    /// `minimumSupport` transactions.
    init(coding: ItemCoding, minimumSupport: Int, maximumLength: Int) {
        self.minimumSupport = Int32(clamping: minimumSupport)
        self.maximumLength = maximumLength
        let itemCount = coding.supportOfRank.count
        self.keptCodes = .allocate(capacity: itemCount + 1)
        self.keptSupports = .allocate(capacity: itemCount + 1)
        self.path = .allocate(capacity: itemCount + 1)
        guard itemCount > 0 else { return }

        let tree = self.tree(at: 0)
        coding.orderOfRank.withUnsafeBufferPointer { codes in
            coding.supportOfRank.withUnsafeBufferPointer { supports in
                tree.reset(codes: codes.baseAddress!, supports: supports.baseAddress!, itemCount: itemCount)
            }
        }
        coding.ranks.withUnsafeBufferPointer { ranks in
            var start = 0
            for end in coding.ends {
                var node: Int32 = 0
                for position in start..<end {
                    node = tree.child(of: node, item: ranks[position])
                    tree.nodes[Int(node)].count += 1
                }
                start = end
            }
        }
        self.grow(depth: 0)
    }

    deinit {
        self.keptCodes.deallocate()
        self.keptSupports.deallocate()
        self.path.deallocate()
    }

    private func tree(at depth: Int) -> FPTree {
        while self.trees.count <= depth { self.trees.append(FPTree()) }
        return self.trees[depth]
    }

    /// Reports every frequent itemset that extends the prefix with items of the tree at `depth`.
    private func grow(depth: Int) {
        let tree = self.trees[depth]
        var item = tree.itemCount - 1
        while item >= 0 {
            let support = tree.support[item]
            self.prefix.append(tree.code[item])
            let perfectMark = self.perfect.count
            if self.prefix.count < self.maximumLength && item > 0 {
                let kept = self.countProjection(of: tree, item: Int32(item), support: support)
                self.report(support: support)
                if kept > 0 {
                    self.project(tree, item: Int32(item), keptCount: kept, into: self.tree(at: depth + 1))
                    self.grow(depth: depth + 1)
                }
            } else {
                self.report(support: support)
            }
            self.perfect.removeSubrange(perfectMark...)
            self.prefix.removeLast()
            item -= 1
        }
    }

    /// Counts the items on the paths above `item`'s nodes, sets its perfect extensions aside and lists the
    /// frequent others in `keptCodes` and `keptSupports`; returns how many were kept.
    private func countProjection(of tree: FPTree, item: Int32, support: Int32) -> Int {
        tree.stamp += 2
        let countStamp = tree.stamp - 1
        let nodes = tree.nodes
        let projectedSupport = tree.projectedSupport
        var node = tree.head[Int(item)]
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
                projectedSupport[Int(nodes[index].item)] += count
                ancestor = nodes[index].parent
            }
            node = nodes[Int(node)].nextOfItem
        }
        var kept = 0
        let projectedItem = tree.projectedItem
        for other in 0..<Int(item) {
            let otherSupport = projectedSupport[other]
            projectedSupport[other] = 0
            projectedItem[other] = -1
            if otherSupport == support {
                self.perfect.append(tree.code[other])
            } else if otherSupport >= self.minimumSupport {
                projectedItem[other] = Int32(kept)
                self.keptCodes[kept] = tree.code[other]
                self.keptSupports[kept] = otherSupport
                kept += 1
            }
        }
        return kept
    }

    /// Builds in `target` the tree of the paths above `item`'s nodes, with only the kept items.
    private func project(_ tree: FPTree, item: Int32, keptCount: Int, into target: FPTree) {
        target.reset(codes: self.keptCodes, supports: self.keptSupports, itemCount: keptCount)
        let imageStamp = tree.stamp
        let nodes = tree.nodes
        let projectedItem = tree.projectedItem
        let path = self.path
        var node = tree.head[Int(item)]
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
                    image = target.child(of: image, item: keptItem)
                    target.nodes[Int(image)].count += nodes[index].projectedCount
                }
                nodes[index].image = image
                nodes[index].stamp = imageStamp
            }
            node = nodes[Int(node)].nextOfItem
        }
    }

    /// Reports the prefix and its unions with every subset of the perfect extensions (as many items as the
    /// maximum length allows), all with `support`.
    private func report(support: Int32) {
        self.found.append(self.prefix, support: support)
        let room = self.maximumLength - self.prefix.count
        if room > 0 && !self.perfect.isEmpty {
            self.reportExtensions(from: 0, room: room, support: support)
        }
    }

    private func reportExtensions(from start: Int, room: Int, support: Int32) {
        for index in start..<self.perfect.count {
            self.prefix.append(self.perfect[index])
            self.found.append(self.prefix, support: support)
            if room > 1 && index + 1 < self.perfect.count {
                self.reportExtensions(from: index + 1, room: room - 1, support: support)
            }
            self.prefix.removeLast()
        }
    }
}
