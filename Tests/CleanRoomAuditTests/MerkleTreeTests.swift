@testable import CleanRoomAudit
import Testing

/// The tree against the published RFC 6962 vectors (see ``MerkleReferenceVectors`` for their sources).
struct MerkleTreeTests {
    typealias Vectors = MerkleReferenceVectors

    @Test func emptyTreeHasTheEmptyRoot() throws {
        let tree = MerkleTree()
        #expect(tree.size == 0)
        #expect(tree.rootHash == MerkleHash.emptyTreeHash)
        #expect(try tree.rootHash(size: 0) == MerkleHash.emptyTreeHash)
        #expect(try tree.rootHash(size: 0) == Vectors.rootHashes[0])
    }

    @Test func everyRootWhileAppendingOneAtATime() throws {
        var tree = MerkleTree()
        for (index, entry) in Vectors.leafInputs.enumerated() {
            #expect(try tree.append(leafHash: MerkleHash.leafHash(entry)) == index)
            #expect(tree.size == index + 1)
            #expect(tree.rootHash == Vectors.rootHashes[tree.size])
            for size in 0...tree.size {
                #expect(try tree.rootHash(size: size) == Vectors.rootHashes[size], "size \(size) of \(tree.size)")
            }
        }
    }

    @Test func storesEveryPublishedPerfectSubtree() throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        for (level, hashes) in Vectors.nodeHashes.enumerated() {
            for (index, hash) in hashes.enumerated() {
                let width = 1 << level
                #expect(tree.rangeHash(start: index * width, count: width) == hash, "level \(level) index \(index)")
            }
        }
    }

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func inclusionProofEqualsThePublishedOne(_ vector: MerkleReferenceVectors.InclusionVector) throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        #expect(try tree.inclusionProof(leafIndex: vector.leafIndex, treeSize: vector.treeSize) == vector.proof)
    }

    @Test(arguments: MerkleReferenceVectors.consistencyProofs)
    func consistencyProofEqualsThePublishedOne(_ vector: MerkleReferenceVectors.ConsistencyVector) throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        #expect(try tree.consistencyProof(from: vector.oldSize, to: vector.newSize) == vector.proof)
    }

    @Test func proofsOfASmallerTreeDoNotChangeAsTheTreeGrows() throws {
        var tree = try MerkleTree(entries: Array(Vectors.leafInputs.prefix(5)))
        let inclusion = try tree.inclusionProof(leafIndex: 1, treeSize: 5)
        let consistency = try tree.consistencyProof(from: 2, to: 5)
        for entry in Vectors.leafInputs.dropFirst(5) {
            try tree.append(leafHash: MerkleHash.leafHash(entry))
        }
        #expect(try tree.inclusionProof(leafIndex: 1, treeSize: 5) == inclusion)
        #expect(try tree.consistencyProof(from: 2, to: 5) == consistency)
        #expect(try tree.rootHash(size: 5) == Vectors.rootHashes[5])
    }

    @Test func appendRefusesAHashOfTheWrongLengthAndStaysUnchanged() throws {
        var tree = try MerkleTree(entries: Array(Vectors.leafInputs.prefix(3)))
        for length in [0, 31, 33, 64] {
            let error = #expect(throws: MerkleTreeError.self) {
                try tree.append(leafHash: [UInt8](repeating: 7, count: length))
            }
            #expect(error?.code == .invalidHashLength)
        }
        #expect(tree.size == 3)
        #expect(try tree.rootHash(size: 3) == Vectors.rootHashes[3])
    }

    @Test(arguments: [-1, 9, Int.max, Int.min])
    func rootHashRefusesASizeOutsideTheTree(_ size: Int) throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        let error = #expect(throws: MerkleTreeError.self) { try tree.rootHash(size: size) }
        #expect(error?.code == .treeSizeOutOfRange)
    }

    @Test(arguments: [(0, 0), (1, 1), (8, 8), (-1, 8), (Int.max, 8), (Int.min, 8)])
    func inclusionProofRefusesALeafOutsideTheTree(_ leafIndex: Int, _ treeSize: Int) throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        let error = #expect(throws: MerkleTreeError.self) {
            try tree.inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
        }
        #expect(error?.code == .leafIndexOutOfRange)
    }

    @Test(arguments: [9, -1, Int.max, Int.min])
    func inclusionProofRefusesATreeSizeOutsideTheTree(_ treeSize: Int) throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        let error = #expect(throws: MerkleTreeError.self) { try tree.inclusionProof(leafIndex: 0, treeSize: treeSize) }
        #expect(error?.code == .treeSizeOutOfRange)
    }

    @Test(arguments: [(0, 0), (0, 3), (6, 3), (-1, 3), (1, 9), (1, -1), (Int.min, 8), (Int.max, 8), (8, Int.max)])
    func consistencyProofRefusesSizesOutsideTheTreeOrOutOfOrder(_ oldSize: Int, _ newSize: Int) throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        let error = #expect(throws: MerkleTreeError.self) { try tree.consistencyProof(from: oldSize, to: newSize) }
        #expect(error?.code == .treeSizeOutOfRange)
    }

    @Test func errorsNameTheSizesOnly() throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        let error = #expect(throws: MerkleTreeError.self) { try tree.inclusionProof(leafIndex: 8, treeSize: 8) }
        #expect(
            error?.description == "MerkleTreeError(leaf index out of range): leaf index 8 is outside a tree of size 8"
        )
    }
}
