import CleanRoomAudit
import CleanRoomCrypto
import Testing

/// RFC 6962 hashing, against transparency-dev/merkle `rfc6962/rfc6962_test.go` (`TestRFC6962Hasher`) at
/// commit 417fb0c314750d94e53942e9f92e79b6d35915db.
struct MerkleHashTests {
    @Test func emptyTreeHashIsSHA256OfNothing() {
        #expect(
            Hex.encode(MerkleHash.emptyTreeHash) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
    }

    @Test func emptyLeafDiffersFromEmptyTree() {
        #expect(
            Hex.encode(MerkleHash.leafHash([])) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        )
    }

    @Test func leafHashPrefixesZero() {
        #expect(
            Hex.encode(MerkleHash.leafHash(Array("L123456".utf8)))
                == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
        )
    }

    @Test func nodeHashPrefixesOne() {
        #expect(
            Hex.encode(MerkleHash.nodeHash(Array("N123".utf8), Array("N456".utf8)))
                == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
        )
    }

    @Test func nodeHashDependsOnOrderAndIsNoLeafHash() {
        let left = MerkleHash.leafHash(Array("Hello".utf8))
        let right = MerkleHash.leafHash(Array("World".utf8))
        #expect(left != right)
        #expect(MerkleHash.nodeHash(left, right) != MerkleHash.nodeHash(right, left))
        #expect(MerkleHash.nodeHash(left, right) != MerkleHash.leafHash(left + right))
    }

    @Test func byteCountIsSHA256() {
        #expect(MerkleHash.byteCount == 32)
        #expect(MerkleHash.leafHash([1, 2, 3]).count == MerkleHash.byteCount)
    }
}
