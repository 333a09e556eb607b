import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomStore
import Foundation
import Testing

/// Released cohorts: the compact membership encoding and the per-entry records access requests read.
struct CohortReleaseTests {
    static func ids(_ values: [Int64]) -> [SubjectID] { values.map(SubjectID.init) }

    @Test(arguments: [
        [Int64](), [1], [5, 6, 7, 8], [1, 3, 5, 1_000_000], Array(10...5_000), Array(stride(from: 1, to: 20_000, by: 3)),
    ])
    func membersRoundTripInOrderWithoutDuplicates(members: [Int64]) throws {
        let encoded = CohortMembers(Self.ids(members.reversed() + members.prefix(3)))
        #expect(try encoded.subjectIDs() == Self.ids(members))
        #expect(try CohortMembers(encoded: encoded.encoded).subjectIDs() == Self.ids(members))
        for id in members.prefix(50) { #expect(try encoded.contains(SubjectID(id))) }
        #expect(try !encoded.contains(SubjectID(2)) || members.contains(2))
    }

    @Test func theSmallerEncodingIsKept() throws {
        // A contiguous range: one run, a few bytes.
        #expect(CohortMembers(Self.ids(Array(1...100_000))).encoded.count < 10)
        // A dense random half of 100,000 ids: a bitmap, about one bit per id.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // a fixed xorshift sequence: the same set every run
        let half = (1...100_000).filter { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state & 1 == 1
        }.map(Int64.init)
        let dense = CohortMembers(Self.ids(half))
        #expect(dense.encoded.first == 1)
        #expect(dense.encoded.count < 100_000 / 8 + 16)
        #expect(try dense.subjectIDs() == Self.ids(half))
        // A sparse set: runs.
        #expect(CohortMembers(Self.ids([3, 90_000, 7_000_000])).encoded.first == 0)
        // Ids far apart never build a bitmap of the span between them.
        let apart = CohortMembers(Self.ids([1, Int64.max]))
        #expect(apart.encoded.count < 16)
        #expect(try apart.subjectIDs() == Self.ids([1, Int64.max]))
        #expect(try apart.contains(SubjectID(Int64.max)) && !apart.contains(SubjectID(2)))
    }

    @Test func membershipIsAnsweredAtTheEdgesOfRunsAndBitmaps() throws {
        let runs = CohortMembers(Self.ids(Array(10...20) + Array(40...41)))
        let bitmap = CohortMembers(Self.ids(Array(stride(from: 1_000, to: 9_000, by: 2))))
        #expect(runs.encoded.first == 0 && bitmap.encoded.first == 1)
        for (id, member) in [(9, false), (10, true), (20, true), (21, false), (39, false), (41, true), (42, false)] {
            #expect(try runs.contains(SubjectID(Int64(id))) == member, "\(id)")
        }
        for (id, member) in [(999, false), (1_000, true), (1_001, false), (8_998, true), (8_999, false), (9_000, false)] {
            #expect(try bitmap.contains(SubjectID(Int64(id))) == member, "\(id)")
        }
    }

    @Test(arguments: [
        [UInt8](), [2], [0, 0x80], [0, 5, 0], [1],
        [0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
    ])
    func aDamagedEncodingIsRefused(bytes: [UInt8]) {
        let error = #expect(throws: StoreError.self) { try CohortMembers(encoded: bytes) }
        #expect(error?.code == .corrupt)
    }

    @Test func theComputationsThatIncludedAPersonAreFound() throws {
        let store = try Store.inMemory()
        let everyone = CohortMembers(Self.ids(Array(1...1_000)))
        let some = CohortMembers(Self.ids([2, 500, 999]))
        try store.write { transaction in
            for (sequence, members) in [(4, everyone), (9, some), (12, everyone), (20, some)] {
                try transaction.cohortReleases.record(
                    auditSequence: sequence, members: members, digest: SHA256.hash(members.encoded))
            }
        }
        try store.read { transaction throws in
            #expect(try transaction.cohortReleases.auditSequences(including: SubjectID(500)) == [4, 9, 12, 20])
            #expect(try transaction.cohortReleases.auditSequences(including: SubjectID(3)) == [4, 12])
            #expect(try transaction.cohortReleases.auditSequences(including: SubjectID(1_001)).isEmpty)
        }
        let error = #expect(throws: StoreError.self) {
            try store.write { try $0.cohortReleases.record(auditSequence: 4, members: some, digest: SHA256.hash(some.encoded)) }
        }
        #expect(error?.code == .constraint)
    }
}

struct CohortMembersDifferenceTests {
    @Test func theSymmetricDifferenceAgreesWithSetsForBothEncodingsAndStopsAtTheLimit() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            // Dense sets become bitmaps, sparse ones runs.
            let span = round % 2 == 0 ? 200 : 100_000
            let left = Set((0..<120).map { _ in Int64.random(in: 1...Int64(span), using: &generator) })
            let right = Set((0..<120).map { _ in Int64.random(in: 1...Int64(span), using: &generator) })
            let members = CohortMembers(left.map(SubjectID.init))
            let other = right.sorted().map(SubjectID.init)
            let expected = left.symmetricDifference(right).count
            #expect(try members.symmetricDifferenceCount(withAscending: other, limit: .max) == expected)
            #expect(try members.symmetricDifferenceCount(withAscending: other, limit: 5) == min(5, expected))
            #expect(try members.symmetricDifferenceCount(withAscending: left.sorted().map(SubjectID.init), limit: 5) == 0)
        }
    }
}
