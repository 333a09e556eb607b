/// One node of an ``FPTree``, in the tree's flat node array; links are indices into that array, and 0 (the
/// root, which is nobody's child) means "none".
struct FPNode {
    /// The node's item, as an index into its tree's item table.
    var item: Int32
    /// The parent node (0 for the root's children).
    var parent: Int32
    /// The number of transactions whose path runs through this node.
    var count: Int32
    /// The next node of the same item.
    var nextOfItem: Int32
    /// While the tree is projected: the support below this node within the projection.
    var projectedCount: Int32
    /// While the tree is projected: the node of the projected tree this node's path maps to.
    var image: Int32
    /// Which projection `projectedCount` (odd stamps) or `image` (even stamps) belong to.
    var stamp: Int32
}

/// A frequent-pattern tree (Han, Pei and Yin, 2000) in flat, reusable storage.
///
/// The tree holds a transaction database compressed into shared prefixes: each root-to-node path is the
/// beginning of some transactions, each listing its items in the tree's item order, and each node counts the
/// transactions that begin with its path. Every node of an item is on that item's list, so the transactions
/// holding an item are found without a search.
///
/// The miner keeps one tree per recursion depth and rebuilds it in place for each projection, so the nodes
/// live in one buffer that only grows: no object per node, no freeing between projections. The storage is
/// manual (the miner calls ``deallocate()``) so that the hot loops run on plain pointers.
struct FPTree {
    /// The nodes; node 0 is the root.
    private(set) var nodes: UnsafeMutablePointer<FPNode>
    private var nodeCapacity: Int
    /// The number of nodes, the root included.
    private(set) var nodeCount: Int

    /// The number of items; items are `0 ..< itemCount`, ordered as on the tree's paths.
    private(set) var itemCount: Int
    private var itemCapacity: Int
    /// The output code of each item.
    private(set) var code: UnsafeMutablePointer<Int32>
    /// The number of transactions holding each item.
    private(set) var support: UnsafeMutablePointer<Int32>
    /// The first node of each item (0: none).
    private(set) var head: UnsafeMutablePointer<Int32>
    /// The root's child of each item (0: none).
    private var rootChild: UnsafeMutablePointer<Int32>
    /// The other nodes' children, by parent and item: a node may have thousands on sparse data.
    private var children = ChildTable()
    /// Scratch for projections of this tree: the support of each item within the projection.
    private(set) var projectedSupport: UnsafeMutablePointer<Int32>
    /// Scratch for projections of this tree: each item's index in the projected tree, or -1 when left out.
    private(set) var projectedItem: UnsafeMutablePointer<Int32>
    /// The stamp of the current projection (see ``FPNode/stamp``).
    var stamp: Int32 = 0

    init() {
        self.nodeCapacity = 64
        self.nodes = .allocate(capacity: self.nodeCapacity)
        self.nodeCount = 0
        self.itemCount = 0
        self.itemCapacity = 0
        (self.code, self.support, self.head) = (.allocate(capacity: 0), .allocate(capacity: 0), .allocate(capacity: 0))
        (self.rootChild, self.projectedSupport, self.projectedItem) =
            (.allocate(capacity: 0), .allocate(capacity: 0), .allocate(capacity: 0))
    }

    /// Frees the storage; the tree must not be used afterwards.
    func deallocate() {
        self.nodes.deallocate()
        self.children.deallocate()
        self.deallocateItemTables()
    }

    private func deallocateItemTables() {
        for table in [self.code, self.support, self.head, self.rootChild, self.projectedSupport, self.projectedItem] {
            table.deallocate()
        }
    }

    /// Empties the tree for `itemCount` items with the given output codes and supports, with room for
    /// `nodeCapacity` nodes (memory is only touched as nodes are added) and a child table ready for about
    /// `childEstimate` nodes below the root's children.
    mutating func reset(
        codes: UnsafePointer<Int32>, supports: UnsafePointer<Int32>, itemCount: Int, nodeCapacity: Int = 0,
        childEstimate: Int = 0
    ) {
        if nodeCapacity > self.nodeCapacity {
            self.nodes.deallocate()
            self.nodeCapacity = nodeCapacity
            self.nodes = .allocate(capacity: nodeCapacity)
        }
        self.children.reserve(childEstimate)
        if itemCount > self.itemCapacity {
            self.deallocateItemTables()
            let capacity = max(itemCount, 2 * self.itemCapacity, 16)
            self.itemCapacity = capacity
            (self.code, self.support, self.head) =
                (.allocate(capacity: capacity), .allocate(capacity: capacity), .allocate(capacity: capacity))
            (self.rootChild, self.projectedSupport, self.projectedItem) =
                (.allocate(capacity: capacity), .allocate(capacity: capacity), .allocate(capacity: capacity))
        }
        self.itemCount = itemCount
        self.code.update(from: codes, count: itemCount)
        self.support.update(from: supports, count: itemCount)
        self.head.update(repeating: 0, count: itemCount)
        self.rootChild.update(repeating: 0, count: itemCount)
        self.projectedSupport.update(repeating: 0, count: itemCount)
        self.children.removeAll()
        self.stamp = 0
        self.nodes[0] = FPNode(
            item: -1, parent: 0, count: 0, nextOfItem: 0, projectedCount: 0, image: 0, stamp: 0
        )
        self.nodeCount = 1
    }

    /// The child of `parent` for `item`, created with a count of 0 when missing.
    @inline(__always)
    mutating func child(of parent: Int32, item: Int32) -> Int32 {
        if parent == 0 {
            let existing = self.rootChild[Int(item)]
            if existing != 0 { return existing }
            let node = self.addNode(item: item, parent: 0)
            self.rootChild[Int(item)] = node
            return node
        }
        let (slot, existing) = self.children.find(parent: parent, item: item, in: self.nodes)
        if existing != 0 { return existing }
        let node = self.addNode(item: item, parent: parent)
        self.children.insert(node, at: slot, in: self.nodes)
        return node
    }

    private mutating func addNode(item: Int32, parent: Int32) -> Int32 {
        if self.nodeCount == self.nodeCapacity { self.growNodes() }
        let node = Int32(self.nodeCount)
        self.nodeCount += 1
        self.nodes[Int(node)] = FPNode(
            item: item, parent: parent, count: 0, nextOfItem: self.head[Int(item)], projectedCount: 0, image: 0,
            stamp: 0
        )
        self.head[Int(item)] = node
        return node
    }

    private mutating func growNodes() {
        precondition(self.nodeCapacity < Int(Int32.max) / 2, "an FP-tree holds fewer than 2³⁰ nodes")
        let capacity = 2 * self.nodeCapacity
        let grown = UnsafeMutablePointer<FPNode>.allocate(capacity: capacity)
        grown.moveInitialize(from: self.nodes, count: self.nodeCount)
        self.nodes.deallocate()
        self.nodes = grown
        self.nodeCapacity = capacity
    }
}

/// An open-addressing hash table from (parent node, item) to the child node, emptied in constant time: an entry
/// counts only when it carries the table's current generation. Entries hold only the node; the parent and
/// item a probe compares are the node's own.
struct ChildTable {
    private struct Entry {
        var node: Int32
        var generation: Int32

        static let unused = Entry(node: 0, generation: 0)
    }

    private var entries: UnsafeMutablePointer<Entry>
    /// The capacity minus 1 (the capacity is a power of 2).
    private var mask: Int
    /// 64 minus the capacity's binary logarithm.
    private var shift: UInt64
    /// The generation of the entries in use.
    private var generation: Int32 = 1
    /// The number of entries in use.
    private var count = 0

    init() {
        self.mask = 63
        self.shift = 64 - 6
        self.entries = .allocate(capacity: self.mask + 1)
        self.entries.initialize(repeating: .unused, count: self.mask + 1)
    }

    func deallocate() {
        self.entries.deallocate()
    }

    /// The child of `parent` for `item` among `nodes` (0 when absent) and the slot that holds it or would.
    @inline(__always)
    func find(parent: Int32, item: Int32, in nodes: UnsafePointer<FPNode>) -> (slot: Int, node: Int32) {
        var slot = self.slot(parent: parent, item: item)
        while self.entries[slot].generation == self.generation {
            let node = self.entries[slot].node
            if nodes[Int(node)].parent == parent && nodes[Int(node)].item == item { return (slot, node) }
            slot = (slot + 1) & self.mask
        }
        return (slot, 0)
    }

    /// Enters `node` of `nodes` at `slot`, which ``find(parent:item:in:)`` returned for its parent and item.
    @inline(__always)
    mutating func insert(_ node: Int32, at slot: Int, in nodes: UnsafePointer<FPNode>) {
        self.entries[slot] = Entry(node: node, generation: self.generation)
        self.count += 1
        if self.count * 2 > self.mask { self.grow(nodes) }
    }

    /// Makes room for `count` entries without growing, unless there is room already (entries in use are lost).
    mutating func reserve(_ count: Int) {
        guard 2 * count > self.mask else { return }
        var capacity = self.mask + 1
        var shift = self.shift
        while capacity < 2 * count + 1 {
            capacity *= 2
            shift -= 1
        }
        self.entries.deallocate()
        self.mask = capacity - 1
        self.shift = shift
        self.entries = .allocate(capacity: capacity)
        self.entries.initialize(repeating: .unused, count: capacity)
        self.count = 0
        self.generation = 1
    }

    /// Empties the table.
    mutating func removeAll() {
        self.count = 0
        if self.generation == Int32.max {
            self.entries.update(repeating: .unused, count: self.mask + 1)
            self.generation = 0
        }
        self.generation += 1
    }

    /// The first slot to probe for a parent and an item (Fibonacci hashing).
    @inline(__always)
    private func slot(parent: Int32, item: Int32) -> Int {
        let key = UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(UInt32(bitPattern: item))
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> self.shift)
    }

    /// Doubles the capacity, entering the entries in use again.
    private mutating func grow(_ nodes: UnsafePointer<FPNode>) {
        let old = self.entries
        let oldCapacity = self.mask + 1
        self.mask = 2 * self.mask + 1
        self.shift -= 1
        self.entries = .allocate(capacity: self.mask + 1)
        self.entries.initialize(repeating: .unused, count: self.mask + 1)
        for index in 0..<oldCapacity where old[index].generation == self.generation {
            let node = nodes[Int(old[index].node)]
            var slot = self.slot(parent: node.parent, item: node.item)
            while self.entries[slot].generation == self.generation { slot = (slot + 1) & self.mask }
            self.entries[slot] = old[index]
        }
        old.deallocate()
    }
}
