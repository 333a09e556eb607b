extension MerkleTree {
    /// Returns the inclusion proof of leaf `leafIndex` in the tree of the first `treeSize` leaves:
    /// RFC 9162 section 2.1.3.1's PATH(m, D[n]), the sibling hashes from the leaf up to the root.
    ///
    /// The proof of the only leaf of a one-leaf tree is empty. Check a proof with
    /// ``MerkleVerifier/verifyInclusion(leafHash:leafIndex:treeSize:proof:rootHash:)``.
    ///
    /// - Throws: ``MerkleTreeError/Code/treeSizeOutOfRange`` unless `0 <= treeSize <= size`;
    ///   ``MerkleTreeError/Code/leafIndexOutOfRange`` unless `0 <= leafIndex < treeSize`.
    public func inclusionProof(leafIndex: Int, treeSize: Int) throws(MerkleTreeError) -> [[UInt8]] {
        try self.checkTreeSize(treeSize, name: "tree size")
        guard leafIndex >= 0, leafIndex < treeSize else {
            throw MerkleTreeError(
                code: .leafIndexOutOfRange,
                message: "leaf index \(leafIndex) is outside a tree of size \(treeSize)"
            )
        }
        // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])       for m < k
        // PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])   for m >= k
        // Walked from the root down, so the siblings come out root first and are reversed at the end.
        var siblings: [[UInt8]] = []
        var start = 0
        var end = treeSize
        while end - start > 1 {
            let k = Self.split(end - start)
            if leafIndex < start + k {
                siblings.append(self.rangeHash(start: start + k, count: end - start - k))
                end = start + k
            } else {
                siblings.append(self.rangeHash(start: start, count: k))
                start += k
            }
        }
        return siblings.reversed()
    }

    /// Returns the proof that the tree of the first `oldSize` leaves is a prefix of the tree of the first
    /// `newSize` leaves: RFC 9162 section 2.1.4.1's PROOF(m, D[n]).
    ///
    /// The proof between equal sizes is empty. Check a proof with
    /// ``MerkleVerifier/verifyConsistency(oldSize:newSize:oldRoot:newRoot:proof:)``.
    ///
    /// - Throws: ``MerkleTreeError/Code/treeSizeOutOfRange`` unless `0 < oldSize <= newSize <= size`.
    ///   RFC 9162 defines no proof from the empty tree, which every tree extends.
    public func consistencyProof(from oldSize: Int, to newSize: Int) throws(MerkleTreeError) -> [[UInt8]] {
        try self.checkTreeSize(newSize, name: "new size")
        guard oldSize > 0, oldSize <= newSize else {
            throw MerkleTreeError(
                code: .treeSizeOutOfRange,
                message: "old size \(oldSize) must be 1 to the new size \(newSize) for a consistency proof"
            )
        }
        // PROOF(m, D[n]) = SUBPROOF(m, D[n], true)
        // SUBPROOF(m, D[m], true)  = {}
        // SUBPROOF(m, D[m], false) = {MTH(D[m])}
        // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])           for m <= k
        // SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])   for m > k
        // Walked from the root down, so the hashes come out root first and are reversed at the end.
        var hashes: [[UInt8]] = []
        var start = 0
        var end = newSize
        var oldCount = oldSize
        var oldRootIsKnown = true  // the RFC's b
        while oldCount != end - start {
            let k = Self.split(end - start)
            if oldCount <= k {
                hashes.append(self.rangeHash(start: start + k, count: end - start - k))
                end = start + k
            } else {
                hashes.append(self.rangeHash(start: start, count: k))
                start += k
                oldCount -= k
                oldRootIsKnown = false
            }
        }
        if !oldRootIsKnown {
            hashes.append(self.rangeHash(start: start, count: oldCount))
        }
        return hashes.reversed()
    }
}
