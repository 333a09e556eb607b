import CleanRoomAudit
import Testing

/// The verifier against the published RFC 6962 proofs and the mutations transparency-dev/merkle's
/// `cmd/proofgen` derives from them (wrong index, wrong size, wrong leaf or root, garbage before or
/// after, removed or inserted components, flipped bits), here widened to every single-bit flip and every
/// position.
struct MerkleVerifierTests {
    typealias Vectors = MerkleReferenceVectors

    // MARK: - Inclusion

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func acceptsThePublishedInclusionProof(_ vector: MerkleReferenceVectors.InclusionVector) {
        #expect(Self.verify(vector))
    }

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func rejectsInclusionProofsWithAFlippedBit(_ vector: MerkleReferenceVectors.InclusionVector) {
        let root = Vectors.rootHashes[vector.treeSize]
        for proof in singleBitFlips(of: vector.proof) {
            #expect(!Self.verify(vector, proof: proof))
        }
        for leafHash in singleBitFlips(of: Self.leafHash(vector)) {
            #expect(!Self.verify(vector, leafHash: leafHash))
        }
        for rootHash in singleBitFlips(of: root) {
            #expect(!Self.verify(vector, rootHash: rootHash))
        }
    }

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func rejectsInclusionProofsForAnotherLeafIndex(_ vector: MerkleReferenceVectors.InclusionVector) {
        let wrongIndices = Set(Array(-1...vector.treeSize + 1) + [vector.leafIndex ^ 2, Int.max, Int.min])
            .subtracting([vector.leafIndex])
        for leafIndex in wrongIndices {
            #expect(!Self.verify(vector, leafIndex: leafIndex), "leaf index \(leafIndex)")
        }
    }

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func rejectsInclusionProofsForAnotherTreeSize(_ vector: MerkleReferenceVectors.InclusionVector) {
        for treeSize in [vector.treeSize * 2, vector.treeSize / 2, 0, -1, Int.max, Int.min] {
            #expect(!Self.verify(vector, treeSize: treeSize), "tree size \(treeSize)")
        }
    }

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func rejectsInclusionProofsForAnotherLeafOrRoot(_ vector: MerkleReferenceVectors.InclusionVector) {
        let root = Vectors.rootHashes[vector.treeSize]
        let otherLeaf = MerkleHash.leafHash(Array("WrongLeaf".utf8))
        for leafHash in [otherLeaf, Array("WrongLeaf".utf8), [], root, Vectors.someHash] where leafHash != root {
            #expect(!Self.verify(vector, leafHash: leafHash))
        }
        for rootHash in [MerkleHash.emptyTreeHash, Vectors.someHash, [], root + [0]] {
            #expect(!Self.verify(vector, rootHash: rootHash))
        }
    }

    @Test(arguments: MerkleReferenceVectors.inclusionProofs)
    func rejectsTruncatedOrExtendedInclusionProofs(_ vector: MerkleReferenceVectors.InclusionVector) {
        let root = Vectors.rootHashes[vector.treeSize]
        let proofs = Self.truncatedOrExtended(vector.proof, garbage: [[], root, Vectors.someHash, MerkleHash.emptyTreeHash])
        for proof in proofs where proof != vector.proof {
            #expect(!Self.verify(vector, proof: proof), "proof of \(proof.count) hashes")
        }
    }

    /// transparency-dev/merkle `staticInclusionProbes` and `singleEntryInclusionProbes` (cmd/proofgen).
    @Test func rejectsInclusionInEmptyOrTooSmallTrees() {
        let leaf = MerkleHash.leafHash(Array("data".utf8))
        for (leafIndex, treeSize) in [(0, 0), (0, 1), (1, 0), (2, 1)] {
            for (leafHash, rootHash) in [
                (Vectors.someHash, []), (MerkleHash.emptyTreeHash, []), (Vectors.someHash, MerkleHash.emptyTreeHash),
            ] {
                #expect(
                    !MerkleVerifier.verifyInclusion(
                        leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: [], rootHash: rootHash
                    )
                )
            }
        }
        #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 0, treeSize: 1, proof: [], rootHash: leaf))
        for (leafHash, rootHash) in [(leaf, []), ([], leaf), ([], [])] as [([UInt8], [UInt8])] {
            #expect(
                !MerkleVerifier.verifyInclusion(
                    leafHash: leafHash, leafIndex: 0, treeSize: 1, proof: [], rootHash: rootHash
                )
            )
        }
    }

    // MARK: - Consistency

    @Test(arguments: MerkleReferenceVectors.consistencyProofs)
    func acceptsThePublishedConsistencyProof(_ vector: MerkleReferenceVectors.ConsistencyVector) {
        #expect(Self.verify(vector))
    }

    @Test(arguments: MerkleReferenceVectors.consistencyProofs.filter { !$0.proof.isEmpty })
    func rejectsConsistencyProofsWithAFlippedBit(_ vector: MerkleReferenceVectors.ConsistencyVector) {
        for proof in singleBitFlips(of: vector.proof) {
            #expect(!Self.verify(vector, proof: proof))
        }
        for oldRoot in singleBitFlips(of: Vectors.rootHashes[vector.oldSize]) {
            #expect(!Self.verify(vector, oldRoot: oldRoot))
        }
        for newRoot in singleBitFlips(of: Vectors.rootHashes[vector.newSize]) {
            #expect(!Self.verify(vector, newRoot: newRoot))
        }
    }

    @Test(arguments: MerkleReferenceVectors.consistencyProofs.filter { !$0.proof.isEmpty })
    func rejectsConsistencyProofsForAnotherOldSize(_ vector: MerkleReferenceVectors.ConsistencyVector) {
        let wrongSizes = Set(Array(-1...vector.newSize + 1) + [vector.oldSize ^ 2, Int.max, Int.min])
            .subtracting([vector.oldSize])
        for oldSize in wrongSizes {
            #expect(!Self.verify(vector, oldSize: oldSize), "old size \(oldSize)")
        }
    }

    @Test(arguments: MerkleReferenceVectors.consistencyProofs.filter { !$0.proof.isEmpty })
    func rejectsConsistencyProofsForAnotherNewSize(_ vector: MerkleReferenceVectors.ConsistencyVector) {
        let wrongSizes = [
            vector.newSize * 2, vector.newSize / 2, vector.oldSize, vector.oldSize - 1, 0, -1, Int.max, Int.min,
        ]
        for newSize in wrongSizes {
            #expect(!Self.verify(vector, newSize: newSize), "new size \(newSize)")
        }
    }

    @Test(arguments: MerkleReferenceVectors.consistencyProofs.filter { !$0.proof.isEmpty })
    func rejectsConsistencyProofsForOtherRoots(_ vector: MerkleReferenceVectors.ConsistencyVector) {
        let oldRoot = Vectors.rootHashes[vector.oldSize]
        let newRoot = Vectors.rootHashes[vector.newSize]
        #expect(!Self.verify(vector, oldRoot: newRoot, newRoot: oldRoot))
        for wrong in [Array("WrongRoot".utf8), [], MerkleHash.emptyTreeHash, Vectors.someHash] {
            #expect(!Self.verify(vector, oldRoot: wrong))
            #expect(!Self.verify(vector, newRoot: wrong))
        }
    }

    @Test(arguments: MerkleReferenceVectors.consistencyProofs.filter { !$0.proof.isEmpty })
    func rejectsTruncatedOrExtendedConsistencyProofs(_ vector: MerkleReferenceVectors.ConsistencyVector) {
        let oldRoot = Vectors.rootHashes[vector.oldSize]
        let newRoot = Vectors.rootHashes[vector.newSize]
        let garbage = [[], oldRoot, newRoot, vector.proof[0], Vectors.someHash]
        let proofs = [[]] + Self.truncatedOrExtended(vector.proof, garbage: garbage)
        for proof in proofs where proof != vector.proof {
            #expect(!Self.verify(vector, proof: proof), "proof of \(proof.count) hashes")
        }
    }

    /// transparency-dev/merkle `testdata/consistency/additional` (from `TestVerifyConsistency` at
    /// 022f84cb…), with 32-byte stand-ins for its short "don't care" roots, which this verifier refuses
    /// outright as they are no SHA-256 hash.
    @Test func equalAndEmptySizes() {
        let root1 = MerkleHash.leafHash(Array("don't care 1".utf8))
        let root2 = MerkleHash.leafHash(Array("don't care 2".utf8))
        let empty = MerkleHash.emptyTreeHash
        let cases: [(oldSize: Int, newSize: Int, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]], valid: Bool)] = [
            (1, 1, root2, root2, [], true),
            (5, 5, root1, root1, [], true),
            (0, 0, root1, root1, [], false),
            (0, 0, root1, root2, [], false),
            (0, 0, empty, empty, [], false),
            (0, 0, empty, empty, [empty], false),
            (0, 1, root1, root2, [], false),
            (0, 1, empty, root2, [], false),
            (0, 1, empty, empty, [empty], false),
            (1, 1, root1, root2, [], false),
            (1, 1, empty, root2, [], false),
            (1, 1, empty, empty, [empty], false),
            (1, 0, root1, root2, [], false),
            (2, 1, root1, root2, [], false),
            (1, 2, root1, root2, [], false),
        ]
        for item in cases {
            let verified = MerkleVerifier.verifyConsistency(
                oldSize: item.oldSize, newSize: item.newSize, oldRoot: item.oldRoot, newRoot: item.newRoot,
                proof: item.proof
            )
            #expect(verified == item.valid, "\(item.oldSize) to \(item.newSize)")
        }
        #expect(!MerkleVerifier.verifyConsistency(oldSize: 1, newSize: 1, oldRoot: [], newRoot: [], proof: []))
    }

    // MARK: - Hostile input

    @Test func hostileSizesAndLongProofsNeitherTrapNorVerify() {
        let hash = Vectors.someHash
        let longProof = [[UInt8]](repeating: hash, count: 200)
        let sizes = [Int.min, Int.min + 1, -2, -1, 0, 1, 2, 3, 1 << 32, 1 << 62, (1 << 62) + 1, Int.max - 1, Int.max]
        for first in sizes {
            for second in sizes {
                for proof in [[], [hash], longProof, [[UInt8]](repeating: hash, count: 63)] {
                    #expect(
                        !MerkleVerifier.verifyInclusion(
                            leafHash: hash, leafIndex: first, treeSize: second, proof: proof,
                            rootHash: MerkleHash.emptyTreeHash
                        )
                    )
                    #expect(
                        !MerkleVerifier.verifyConsistency(
                            oldSize: first, newSize: second, oldRoot: hash, newRoot: MerkleHash.emptyTreeHash,
                            proof: proof
                        )
                    )
                }
            }
        }
    }

    @Test func refusesProofElementsThatAreNoHash() throws {
        let tree = try MerkleTree(entries: Vectors.leafInputs)
        let root = try tree.rootHash(size: 8)
        let proof = try tree.inclusionProof(leafIndex: 3, treeSize: 8)
        let leaf = MerkleHash.leafHash(Vectors.leafInputs[3])
        #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 3, treeSize: 8, proof: proof, rootHash: root))
        for element in proof.indices {
            for malformed in [[], Array(proof[element].dropLast()), proof[element] + [0]] {
                var altered = proof
                altered[element] = malformed
                #expect(
                    !MerkleVerifier.verifyInclusion(
                        leafHash: leaf, leafIndex: 3, treeSize: 8, proof: altered, rootHash: root
                    )
                )
            }
        }
    }

    // MARK: - Helpers

    static func leafHash(_ vector: MerkleReferenceVectors.InclusionVector) -> [UInt8] {
        MerkleHash.leafHash(Vectors.leafInputs[vector.leafIndex])
    }

    /// Verifies `vector` with the published leaf and root, or with the one argument given instead.
    static func verify(
        _ vector: MerkleReferenceVectors.InclusionVector,
        leafHash: [UInt8]? = nil,
        leafIndex: Int? = nil,
        treeSize: Int? = nil,
        proof: [[UInt8]]? = nil,
        rootHash: [UInt8]? = nil
    ) -> Bool {
        MerkleVerifier.verifyInclusion(
            leafHash: leafHash ?? Self.leafHash(vector),
            leafIndex: leafIndex ?? vector.leafIndex,
            treeSize: treeSize ?? vector.treeSize,
            proof: proof ?? vector.proof,
            rootHash: rootHash ?? Vectors.rootHashes[vector.treeSize]
        )
    }

    /// Verifies `vector` with the published roots, or with the arguments given instead.
    static func verify(
        _ vector: MerkleReferenceVectors.ConsistencyVector,
        oldSize: Int? = nil,
        newSize: Int? = nil,
        oldRoot: [UInt8]? = nil,
        newRoot: [UInt8]? = nil,
        proof: [[UInt8]]? = nil
    ) -> Bool {
        MerkleVerifier.verifyConsistency(
            oldSize: oldSize ?? vector.oldSize,
            newSize: newSize ?? vector.newSize,
            oldRoot: oldRoot ?? Vectors.rootHashes[vector.oldSize],
            newRoot: newRoot ?? Vectors.rootHashes[vector.newSize],
            proof: proof ?? vector.proof
        )
    }

    /// `proof` with each of `garbage` appended, prepended and inserted at every position, with each element
    /// removed, cut at either end, and reversed: the wrong lengths and orders a verifier must refuse.
    static func truncatedOrExtended(_ proof: [[UInt8]], garbage: [[UInt8]]) -> [[[UInt8]]] {
        var proofs: [[[UInt8]]] = []
        for hash in garbage {
            proofs.append(proof + [hash])
            proofs.append([hash] + proof)
            for position in proof.indices {
                var inserted = proof
                inserted.insert(hash, at: position)
                proofs.append(inserted)
            }
        }
        for position in proof.indices {
            var removed = proof
            removed.remove(at: position)
            proofs.append(removed)
        }
        proofs.append(Array(proof.dropLast()))
        proofs.append(Array(proof.dropFirst()))
        proofs.append(proof.reversed())
        return proofs
    }
}
