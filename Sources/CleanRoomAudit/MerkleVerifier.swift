/// Checks Merkle inclusion and consistency proofs against root hashes, following the verification
/// algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2 step by step.
///
/// It needs no tree: an auditor holding a signed checkpoint (size and root hash) and a proof can check
/// it alone. It answers `false`, never traps, for any input: sizes or indices that are negative, zero or
/// out of range, proofs that are too short or too long, hashes of the wrong length.
public enum MerkleVerifier {
    /// Tells whether `proof` shows that the leaf hashing to `leafHash` is leaf `leafIndex` of the tree of
    /// `treeSize` leaves whose root hash is `rootHash` (RFC 9162 section 2.1.3.2).
    ///
    /// - Parameters:
    ///   - leafHash: ``MerkleHash/leafHash(_:)`` of the entry.
    ///   - leafIndex: the leaf's index, from 0.
    ///   - treeSize: the number of leaves of the tree `rootHash` belongs to.
    ///   - proof: the inclusion path, leaf's sibling first, as from
    ///     ``MerkleTree/inclusionProof(leafIndex:treeSize:)``.
    ///   - rootHash: the trusted root hash of the tree of `treeSize` leaves.
    public static func verifyInclusion(
        leafHash: [UInt8],
        leafIndex: Int,
        treeSize: Int,
        proof: [[UInt8]],
        rootHash: [UInt8]
    ) -> Bool {
        guard Self.areHashes([leafHash, rootHash]), Self.areHashes(proof), leafIndex >= 0 else {
            return false
        }
        // 1. If leaf_index >= tree_size, fail.
        guard leafIndex < treeSize else { return false }
        // 2. Set fn to leaf_index and sn to tree_size - 1.
        var fn = leafIndex
        var sn = treeSize - 1
        // 3. Set r to hash.
        var r = leafHash
        // 4. For each value p in the inclusion_path array:
        for p in proof {
            // a. If sn is 0, stop and fail.
            guard sn != 0 else { return false }
            // b. If LSB(fn) is set, or if fn is equal to sn, then:
            if fn & 1 == 1 || fn == sn {
                // i. Set r to HASH(0x01 || p || r).
                r = MerkleHash.nodeHash(p, r)
                // ii. If LSB(fn) is not set, right-shift both fn and sn equally until either LSB(fn) is
                //     set or fn is 0.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                // Otherwise: set r to HASH(0x01 || r || p).
                r = MerkleHash.nodeHash(r, p)
            }
            // c. Right-shift both fn and sn one time.
            fn >>= 1
            sn >>= 1
        }
        // 5. The proof holds if sn is 0 and r equals root_hash.
        return sn == 0 && r == rootHash
    }

    /// Tells whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of
    /// the tree of `newSize` leaves with root `newRoot` (RFC 9162 section 2.1.4.2).
    ///
    /// Equal sizes need an empty proof and equal roots. A consistency check from the empty tree proves
    /// nothing (every tree extends it) and is refused, as is a new size below the old one.
    ///
    /// - Parameters:
    ///   - oldSize: the size of the older tree, at least 1.
    ///   - newSize: the size of the newer tree, at least `oldSize`.
    ///   - oldRoot: the trusted root hash of the older tree.
    ///   - newRoot: the root hash of the newer tree.
    ///   - proof: the consistency path, as from ``MerkleTree/consistencyProof(from:to:)``.
    public static func verifyConsistency(
        oldSize: Int,
        newSize: Int,
        oldRoot: [UInt8],
        newRoot: [UInt8],
        proof: [[UInt8]]
    ) -> Bool {
        guard Self.areHashes([oldRoot, newRoot]), Self.areHashes(proof) else { return false }
        guard oldSize > 0, oldSize <= newSize else { return false }
        guard oldSize < newSize else { return proof.isEmpty && oldRoot == newRoot }
        let first = oldSize
        let second = newSize
        // 1. If consistency_path is an empty array, stop and fail.
        guard !proof.isEmpty else { return false }
        // 2. If first is an exact power of 2, prepend first_hash to the consistency_path array.
        var path = proof
        if first & (first - 1) == 0 {
            path.insert(oldRoot, at: 0)
        }
        // 3. Set fn to first - 1 and sn to second - 1.
        var fn = first - 1
        var sn = second - 1
        // 4. If LSB(fn) is set, right-shift both fn and sn equally until LSB(fn) is not set.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5. Set both fr and sr to the first value in the consistency_path array.
        var fr = path[0]
        var sr = path[0]
        // 6. For each subsequent value c in the consistency_path array:
        for c in path.dropFirst() {
            // a. If sn is 0, stop and fail.
            guard sn != 0 else { return false }
            // b. If LSB(fn) is set, or if fn is equal to sn, then:
            if fn & 1 == 1 || fn == sn {
                // i. Set fr to HASH(0x01 || c || fr). ii. Set sr to HASH(0x01 || c || sr).
                fr = MerkleHash.nodeHash(c, fr)
                sr = MerkleHash.nodeHash(c, sr)
                // iii. If LSB(fn) is not set, right-shift both fn and sn equally until either LSB(fn) is
                //      set or fn is 0.
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                // Otherwise: set sr to HASH(0x01 || sr || c).
                sr = MerkleHash.nodeHash(sr, c)
            }
            // c. Right-shift both fn and sn one time.
            fn >>= 1
            sn >>= 1
        }
        // 7. The proof holds if fr equals first_hash, sr equals second_hash and sn is 0.
        return fr == oldRoot && sr == newRoot && sn == 0
    }

    /// Whether every element is a SHA-256 hash in length.
    private static func areHashes(_ hashes: [[UInt8]]) -> Bool {
        hashes.allSatisfy { $0.count == MerkleHash.byteCount }
    }
}
