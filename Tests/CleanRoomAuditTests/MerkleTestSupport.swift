import CleanRoomAudit
import CleanRoomCrypto

/// Decodes hexadecimal test data.
func hexBytes(_ hex: String) -> [UInt8] {
    guard let decoded = Hex.decode(hex) else {
        preconditionFailure("test vector is not hexadecimal: \(hex.prefix(40))")
    }
    return decoded
}

/// RFC 9162 section 2.1's definitions, written as the recursions they are, over the entries themselves:
/// slow (O(n) hashes per call) and independent of ``MerkleTree``'s stored subtrees.
enum NaiveMerkle {
    /// MTH(D[n]) (section 2.1.1).
    static func treeHash(_ entries: ArraySlice<[UInt8]>) -> [UInt8] {
        switch entries.count {
        case 0:
            return SHA256.hash([UInt8]())
        case 1:
            return SHA256.hash([0x00] + entries[entries.startIndex])
        default:
            let k = Self.split(entries.count)
            let middle = entries.startIndex + k
            return SHA256.hash([0x01] + Self.treeHash(entries[..<middle]) + Self.treeHash(entries[middle...]))
        }
    }

    /// PATH(m, D[n]) (section 2.1.3.1), `m` counted from the start of `entries`.
    static func path(_ m: Int, _ entries: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard entries.count > 1 else { return [] }
        let k = Self.split(entries.count)
        let middle = entries.startIndex + k
        if m < k {
            return Self.path(m, entries[..<middle]) + [Self.treeHash(entries[middle...])]
        }
        return Self.path(m - k, entries[middle...]) + [Self.treeHash(entries[..<middle])]
    }

    /// PROOF(m, D[n]) (section 2.1.4.1).
    static func proof(_ m: Int, _ entries: ArraySlice<[UInt8]>) -> [[UInt8]] {
        Self.subproof(m, entries, true)
    }

    /// SUBPROOF(m, D[n], b) (section 2.1.4.1).
    private static func subproof(_ m: Int, _ entries: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        if m == entries.count {
            return b ? [] : [Self.treeHash(entries)]
        }
        let k = Self.split(entries.count)
        let middle = entries.startIndex + k
        if m <= k {
            return Self.subproof(m, entries[..<middle], b) + [Self.treeHash(entries[middle...])]
        }
        return Self.subproof(m - k, entries[middle...], false) + [Self.treeHash(entries[..<middle])]
    }

    /// The largest power of two smaller than `n`, for `n > 1`, found by doubling.
    private static func split(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }
}

extension MerkleTree {
    /// A tree of the leaves of `entries`, in order.
    init(entries: [[UInt8]]) throws {
        self.init()
        for entry in entries {
            try self.append(leafHash: MerkleHash.leafHash(entry))
        }
    }
}

/// Copies of `hashes`, each with one bit flipped: every bit of every hash in turn.
func singleBitFlips(of hashes: [[UInt8]]) -> [[[UInt8]]] {
    hashes.indices.flatMap { element in
        (0..<hashes[element].count * 8).map { bit in
            var flipped = hashes
            flipped[element][bit / 8] ^= UInt8(1) << (bit % 8)
            return flipped
        }
    }
}

/// Copies of `hash`, each with one bit flipped.
func singleBitFlips(of hash: [UInt8]) -> [[UInt8]] {
    singleBitFlips(of: [hash]).map { $0[0] }
}
