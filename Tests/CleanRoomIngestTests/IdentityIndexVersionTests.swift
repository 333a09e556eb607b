import CleanRoomCore
import CleanRoomStore
import Dispatch
import Testing

@testable import CleanRoomIngest

/// Rows look their identifiers up in the identity index while they are prepared in parallel; the batch that
/// commits them uses those lookups only where the index has not changed what they said since.
struct IdentityIndexVersionTests {
    static func pseudonym(_ seed: UInt8) -> Pseudonym {
        Pseudonym(bytes: Array(repeating: seed, count: Pseudonym.byteCount))!
    }

    /// A row naming `pseudonyms` as e-mails, prepared now.
    static func row(_ pseudonyms: [Pseudonym], in index: IdentityIndex) -> ResolvedIdentifiers {
        var resolved = ResolvedIdentifiers()
        for pseudonym in pseudonyms {
            resolved.identifiers.append(ResolvedIdentifiers.Identifier(
                kind: .email, raw: "", key: IdentityIndex.Key(pseudonym, kind: .email),
                variants: nil))
        }
        resolved.lookup = index.lookUp(resolved.identifiers)
        return resolved
    }

    @Test func aLookupHoldsUntilTheIndexChangesWhatItSaid() throws {
        let fixture = try IngestFixture()
        let ingestor = try fixture.ingestor()
        let index = fixture.index
        let (known, unknown) = (Self.pseudonym(1), Self.pseudonym(2))
        index.insert([(IdentityIndex.Key(known, kind: .email), SubjectID(1))])
        var row = Self.row([known, unknown], in: index)
        #expect(row.lookup.subjects == [SubjectID(1), nil])
        #expect(ingestor.indexedSubjects(row, at: ingestor.indexVersion) == [SubjectID(1), nil])

        // Unchanged, the lookup is used as it is, not repeated.
        row.lookup.subjects = [SubjectID(7), nil]
        #expect(ingestor.indexedSubjects(row, at: ingestor.indexVersion) == [SubjectID(7), nil])

        // An addition since: an identifier it did not find may have been added, so the index is asked again.
        index.insert([(IdentityIndex.Key(unknown, kind: .email), SubjectID(2))])
        #expect(ingestor.indexedSubjects(row, at: ingestor.indexVersion) == [SubjectID(1), SubjectID(2)])

        // A row that found all its identifiers still holds after an addition.
        var found = Self.row([known], in: index)
        found.lookup.subjects = [SubjectID(7)]
        index.insert([(IdentityIndex.Key(Self.pseudonym(3), kind: .email), SubjectID(3))])
        #expect(ingestor.indexedSubjects(found, at: ingestor.indexVersion) == [SubjectID(7)])

        // A removal since (an erasure, a retention sweep): what it found may be gone.
        index.erase([StoredPseudonym(pseudonym: known, kind: .email, variant: "google", subject: SubjectID(1))])
        #expect(ingestor.indexedSubjects(found, at: ingestor.indexVersion) == [nil])
        #expect(Self.row([known], in: index).lookup.isSuppressed)
    }

    /// A row prepared before an erasure and applied after it finds the person suppressed, not unknown: it must not
    /// bring them back as someone new.
    @Test func aRowPreparedBeforeAnErasureIsSuppressedWhenApplied() throws {
        let fixture = try IngestFixture()
        let ingestor = try fixture.ingestor()
        let index = fixture.index
        let (erased, other) = (Self.pseudonym(1), Self.pseudonym(2))
        index.insert([(IdentityIndex.Key(erased, kind: .email), SubjectID(1))])
        let before = Self.row([other, erased], in: index)
        let unrelated = Self.row([other], in: index)
        #expect(!before.lookup.isSuppressed && !ingestor.isSuppressed(before))

        index.erase([StoredPseudonym(pseudonym: erased, kind: .email, variant: "google", subject: SubjectID(1))])
        #expect(!before.lookup.isSuppressed, "what the row said when it was prepared")
        #expect(ingestor.isSuppressed(before))
        #expect(!ingestor.isSuppressed(unrelated))

        // A suppression alone (the store's list, read again) counts as well.
        let later = Self.row([other], in: index)
        index.suppress([other])
        #expect(ingestor.isSuppressed(later) && ingestor.isSuppressed(unrelated))
    }

    @Test func theLatestAdditionsTellWhichMissesMayHaveBeenAdded() {
        let index = IdentityIndex()
        let key = { (seed: UInt8) in IdentityIndex.Key(Self.pseudonym(seed), kind: .email) }
        let before = index.version
        index.insert([(key(1), SubjectID(1))])
        #expect(index.mayHaveAdded([key(1)], since: before))
        #expect(index.mayHaveAdded([key(2), key(1)], since: before))
        #expect(!index.mayHaveAdded([key(2)], since: before), "a key whose bit no addition set")
        #expect(!index.mayHaveAdded([key(1)], since: index.version), "nothing added since")
        // More additions than bitmaps kept: no longer known, so maybe.
        for seed in UInt8(10)..<UInt8(30) {
            index.insert([(key(seed), SubjectID(Int64(seed)))])
        }
        #expect(index.mayHaveAdded([key(2)], since: before))
    }

    /// Rows are looked up on several threads while batches add identifiers: each lookup sees a key as absent or
    /// with its subject, never anything else, and once an addition is in every later lookup sees it.
    @Test func lookupsOnManyThreadsSeeAdditionsWhole() {
        let index = IdentityIndex()
        let key: @Sendable (Int) -> IdentityIndex.Key = { number in
            IdentityIndex.Key(a: UInt64(number) &* 0x9E37_79B9_7F4A_7C15, b: UInt64(number), c: 0, d: 1)
        }
        let batches = 50, perBatch = 200
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            if worker == 0 {
                for batch in 0..<batches {
                    index.insert((0..<perBatch).map { (key(batch * perBatch + $0), SubjectID(Int64(batch + 1))) })
                }
                return
            }
            for round in 0..<2_000 {
                let number = (round * 7919 + worker) % (batches * perBatch)
                let lookup = index.lookUp([ResolvedIdentifiers.Identifier(
                    kind: .email, raw: "", key: key(number), variants: nil)])
                #expect(lookup.subjects.count == 1)
                if let subject = lookup.subjects[0] {
                    #expect(subject == SubjectID(Int64(number / perBatch + 1)))
                }
            }
        }
        #expect(index.count == batches * perBatch)
        #expect(index.subjects(for: (0..<batches * perBatch).map(key)).allSatisfy { $0 != nil })
    }
}
