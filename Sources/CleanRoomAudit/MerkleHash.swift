internal import CleanRoomCrypto

/// The hashes of a Merkle tree as defined by RFC 9162 section 2.1.1 (the same as RFC 6962 section 2.1),
/// with SHA-256.
///
/// Leaves and interior nodes are hashed with different one-byte prefixes, so that no leaf can pass for
/// an interior node (a second-preimage defence):
///
/// ```
/// MTH({})        = SHA-256()                              the empty tree
/// MTH({d(0)})    = SHA-256(0x00 || d(0))                  a leaf
/// MTH(D[n])      = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
/// ```
///
/// where `k` is the largest power of two smaller than `n`.
public enum MerkleHash {
    /// The length of every hash in bytes (SHA-256).
    public static let byteCount = SHA256.byteCount

    /// The root hash of the empty tree: the SHA-256 of the empty string,
    /// `e3b0c442…7852b855`.
    public static let emptyTreeHash: [UInt8] = SHA256.hash([UInt8]())

    /// Returns the hash of the leaf holding `entry`: `SHA-256(0x00 || entry)`.
    public static func leafHash(_ entry: [UInt8]) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(entry.count + 1)
        input.append(Self.leafPrefix)
        input.append(contentsOf: entry)
        return SHA256.hash(input)
    }

    /// Returns the hash of the interior node whose children hash to `left` and `right`:
    /// `SHA-256(0x01 || left || right)`.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(left.count + right.count + 1)
        input.append(Self.nodePrefix)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return SHA256.hash(input)
    }

    /// Returns `SHA-256(0x01 || children)`, where `children` holds a left and a right hash back to back.
    ///
    /// The tree stores sibling hashes next to each other, so this hashes them without copying them out
    /// one by one first.
    static func nodeHash(concatenatedChildren children: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(byteCount: children.count + 1, alignment: 1) { input in
            input[0] = Self.nodePrefix
            UnsafeMutableRawBufferPointer(rebasing: input[1...]).copyMemory(from: children)
            return SHA256.hash(bufferPointer: UnsafeRawBufferPointer(input))
        }
    }

    /// The domain-separation byte in front of a leaf's entry.
    private static let leafPrefix: UInt8 = 0x00
    /// The domain-separation byte in front of an interior node's two children.
    private static let nodePrefix: UInt8 = 0x01
}
