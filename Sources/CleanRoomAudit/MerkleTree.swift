/// An append-only Merkle tree of leaf hashes (RFC 9162 section 2.1), able to answer for every size it
/// has had: the root hash, inclusion proofs and consistency proofs of any earlier tree, each in
/// O(log n) hashes.
///
/// The tree keeps the hash of every perfect subtree it has completed. Level 0 holds the leaf hashes;
/// level `k`, index `i` holds the hash of leaves `[i·2^k, (i+1)·2^k)`. Appending a leaf completes on
/// average one subtree above it, so an append costs amortized O(1) hashes. Any range the RFC's
/// recursion asks for is a run of such perfect subtrees (one per bit of its length), so it is
/// combined from at most log₂ n stored hashes.
///
/// It keeps about two hashes (64 bytes) per leaf; a million appends take about 0.4 s in a release
/// build, nearly all of it SHA-256 of the interior nodes. It is a value: share it between tasks behind
/// whatever serializes the log's appends.
///
/// ```swift
/// var tree = MerkleTree()
/// try tree.append(leafHash: MerkleHash.leafHash(entry))
/// let checkpoint = (size: tree.size, root: tree.rootHash)
/// let path = try tree.inclusionProof(leafIndex: 0, treeSize: checkpoint.size)
/// let oldRoot = try tree.rootHash(size: 1)
/// ```
public struct MerkleTree: Sendable {
    /// `levels[k]` holds the hashes of the completed perfect subtrees of `2^k` leaves, left to right,
    /// back to back (``MerkleHash/byteCount`` bytes each).
    private var levels: [[UInt8]]

    /// The number of leaves appended so far.
    public private(set) var size: Int

    /// Creates an empty tree.
    public init() {
        self.levels = [[]]
        self.size = 0
    }

    /// Appends a leaf, given its hash (``MerkleHash/leafHash(_:)`` of the entry), and returns its index.
    ///
    /// - Throws: ``MerkleTreeError/Code/invalidHashLength`` if `leafHash` is not
    ///   ``MerkleHash/byteCount`` bytes long; the tree is then unchanged.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) throws(MerkleTreeError) -> Int {
        guard leafHash.count == MerkleHash.byteCount else {
            throw MerkleTreeError(
                code: .invalidHashLength,
                message: "a leaf hash must be \(MerkleHash.byteCount) bytes long, not \(leafHash.count)"
            )
        }
        let index = self.size
        self.levels[0].append(contentsOf: leafHash)
        self.size += 1
        // Each trailing zero bit of the new size is a perfect subtree this leaf completes: its hash joins
        // the last two hashes one level down.
        var level = 0
        var count = self.size
        while count & 1 == 0 {
            let parent = self.levels[level].withUnsafeBytes { hashes in
                let children = hashes.suffix(2 * MerkleHash.byteCount)
                return MerkleHash.nodeHash(concatenatedChildren: UnsafeRawBufferPointer(rebasing: children))
            }
            level += 1
            count >>= 1
            if level == self.levels.count {
                self.levels.append([])
            }
            self.levels[level].append(contentsOf: parent)
        }
        return index
    }

    /// The root hash of the whole tree, MTH(D[0:size]): the ``MerkleHash/emptyTreeHash`` while it is
    /// empty.
    public var rootHash: [UInt8] {
        self.size > 0 ? self.rangeHash(start: 0, count: self.size) : MerkleHash.emptyTreeHash
    }

    /// Returns the root hash of the tree made of the first `size` leaves: MTH(D[0:size]), the
    /// ``MerkleHash/emptyTreeHash`` for 0.
    ///
    /// - Throws: ``MerkleTreeError/Code/treeSizeOutOfRange`` unless `0 <= size <= self.size`.
    public func rootHash(size: Int) throws(MerkleTreeError) -> [UInt8] {
        try self.checkTreeSize(size, name: "size")
        return size > 0 ? self.rangeHash(start: 0, count: size) : MerkleHash.emptyTreeHash
    }

    /// Throws unless `0 <= size <= self.size`.
    func checkTreeSize(_ size: Int, name: String) throws(MerkleTreeError) {
        guard size >= 0, size <= self.size else {
            throw MerkleTreeError(
                code: .treeSizeOutOfRange,
                message: "\(name) \(size) is outside the tree, which has sizes 0 to \(self.size)"
            )
        }
    }

    /// Returns MTH(D[start:start+count]), for a non-empty range inside the tree whose `start` is a
    /// multiple of the largest power of two not above `count`, as every range of RFC 9162's recursion
    /// is.
    ///
    /// Such a range is the run of perfect subtrees given by the bits of `count`, largest first; they are
    /// combined right to left, as MTH splits off the largest power of two on the left at each step.
    func rangeHash(start: Int, count: Int) -> [UInt8] {
        assert(count > 0 && start >= 0 && start + count <= self.size, "range outside the tree")
        assert(start % Self.largestPowerOfTwo(notAbove: count) == 0, "range not aligned")
        var end = start + count
        var remaining = count
        var level = remaining.trailingZeroBitCount
        var result = self.storedHash(level: level, index: (end >> level) - 1)
        end -= 1 << level
        remaining &= remaining - 1
        while remaining != 0 {
            level = remaining.trailingZeroBitCount
            result = MerkleHash.nodeHash(self.storedHash(level: level, index: (end >> level) - 1), result)
            end -= 1 << level
            remaining &= remaining - 1
        }
        return result
    }

    /// The stored hash of the perfect subtree at `level`, `index`.
    private func storedHash(level: Int, index: Int) -> [UInt8] {
        let start = index * MerkleHash.byteCount
        return Array(self.levels[level][start..<start + MerkleHash.byteCount])
    }

    /// The largest power of two that is at most `value`, for `value > 0`.
    static func largestPowerOfTwo(notAbove value: Int) -> Int {
        1 << (Int.bitWidth - 1 - value.leadingZeroBitCount)
    }

    /// The largest power of two smaller than `count` (RFC 9162's `k`), for `count > 1`.
    static func split(_ count: Int) -> Int {
        Self.largestPowerOfTwo(notAbove: count - 1)
    }
}
