import CleanRoomAudit
import CleanRoomTestSupport
import Testing

/// Properties over a seeded random tree of 300 leaves, checked against the RFC 9162 definitions written
/// as plain recursions (``NaiveMerkle``): a tree answers for every earlier size, so one tree covers every
/// tree of 0 to 300 leaves.
struct MerklePropertyTests {
    static let leafCount = 300

    /// Random entries of 0 to 40 bytes, the same on every run.
    static let entries: [[UInt8]] = {
        var generator = SplitMix64(seed: 0x6962_9162)
        return (0..<Self.leafCount).map { _ in generator.bytes(count: Int.random(in: 0...40, using: &generator)) }
    }()

    static func makeTree() throws -> MerkleTree {
        try MerkleTree(entries: Self.entries)
    }

    @Test func rootOfEverySizeEqualsTheRecursiveDefinition() throws {
        let tree = try Self.makeTree()
        for size in 0...Self.leafCount {
            #expect(try tree.rootHash(size: size) == NaiveMerkle.treeHash(Self.entries[..<size]), "size \(size)")
        }
    }

    @Test func rootWhileGrowingEqualsTheRootOfTheFullTreeAtThatSize() throws {
        let full = try Self.makeTree()
        var growing = MerkleTree()
        for (index, entry) in Self.entries.enumerated() {
            try growing.append(leafHash: MerkleHash.leafHash(entry))
            #expect(try growing.rootHash(size: index + 1) == full.rootHash(size: index + 1))
        }
    }

    @Test func everyInclusionProofVerifies() throws {
        let tree = try Self.makeTree()
        let leafHashes = Self.entries.map(MerkleHash.leafHash)
        for treeSize in 1...Self.leafCount {
            let root = try tree.rootHash(size: treeSize)
            for leafIndex in 0..<treeSize {
                let proof = try tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
                let verified = MerkleVerifier.verifyInclusion(
                    leafHash: leafHashes[leafIndex], leafIndex: leafIndex, treeSize: treeSize, proof: proof,
                    rootHash: root
                )
                #expect(verified, "leaf \(leafIndex) of \(treeSize)")
            }
        }
    }

    @Test func inclusionProofsEqualTheRecursiveDefinitionAndBindTheLeaf() throws {
        let tree = try Self.makeTree()
        var generator = SplitMix64(seed: 2_131)
        for _ in 0..<400 {
            let treeSize = Int.random(in: 1...Self.leafCount, using: &generator)
            let leafIndex = Int.random(in: 0..<treeSize, using: &generator)
            let proof = try tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
            #expect(proof == NaiveMerkle.path(leafIndex, Self.entries[..<treeSize]), "leaf \(leafIndex) of \(treeSize)")
            let otherIndex = (leafIndex + Int.random(in: 1...Self.leafCount, using: &generator)) % Self.leafCount
            let otherLeaf = MerkleHash.leafHash(Self.entries[otherIndex])
            guard otherLeaf != MerkleHash.leafHash(Self.entries[leafIndex]) else { continue }
            let root = try tree.rootHash(size: treeSize)
            let verified = MerkleVerifier.verifyInclusion(
                leafHash: otherLeaf, leafIndex: leafIndex, treeSize: treeSize, proof: proof, rootHash: root
            )
            #expect(!verified, "leaf \(otherIndex) passed as leaf \(leafIndex) of \(treeSize)")
        }
    }

    @Test func everyConsistencyProofVerifies() throws {
        let tree = try Self.makeTree()
        let roots = try (0...Self.leafCount).map { try tree.rootHash(size: $0) }
        for newSize in 1...Self.leafCount {
            for oldSize in 1...newSize {
                let proof = try tree.consistencyProof(from: oldSize, to: newSize)
                let verified = MerkleVerifier.verifyConsistency(
                    oldSize: oldSize, newSize: newSize, oldRoot: roots[oldSize], newRoot: roots[newSize], proof: proof
                )
                #expect(verified, "\(oldSize) to \(newSize)")
            }
        }
    }

    @Test func consistencyProofsEqualTheRecursiveDefinitionAndBindTheRoots() throws {
        let tree = try Self.makeTree()
        var generator = SplitMix64(seed: 6_962)
        for _ in 0..<400 {
            let newSize = Int.random(in: 2...Self.leafCount, using: &generator)
            let oldSize = Int.random(in: 1..<newSize, using: &generator)
            let proof = try tree.consistencyProof(from: oldSize, to: newSize)
            #expect(proof == NaiveMerkle.proof(oldSize, Self.entries[..<newSize]), "\(oldSize) to \(newSize)")
            // The root of a neighbouring size, given as the old or the new root, must not pass.
            let oldRoot = try tree.rootHash(size: oldSize)
            let newRoot = try tree.rootHash(size: newSize)
            let otherOldRoot = try tree.rootHash(size: oldSize == 1 ? 2 : oldSize - 1)
            let otherNewRoot = try tree.rootHash(size: newSize - 1)
            for (givenOld, givenNew) in [(otherOldRoot, newRoot), (oldRoot, otherNewRoot)] {
                let verified = MerkleVerifier.verifyConsistency(
                    oldSize: oldSize, newSize: newSize, oldRoot: givenOld, newRoot: givenNew, proof: proof
                )
                #expect(!verified, "\(oldSize) to \(newSize) with a neighbour's root")
            }
        }
    }
}
