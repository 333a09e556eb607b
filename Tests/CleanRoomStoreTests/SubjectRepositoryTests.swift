import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct SubjectRepositoryTests {
    @Test func subjectsAreCreatedInArrivalOrder() throws {
        let store = try Store.inMemory()
        let (first, second) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(1)))
        }
        #expect(first < second)
        try store.read { tx throws in
            #expect(try tx.subjects.exists(first))
            #expect(try tx.subjects.exists(second))
            #expect(try !tx.subjects.exists(SubjectID(second.rawValue + 1)))
            #expect(try tx.subjects.count() == 2)
        }
    }

    @Test func subjectsCreatedManyAtATimeTakeTheIdsAutoincrementWouldGive() throws {
        let store = try Store.inMemory()
        // The last subject is erased: its id is never given again, whichever way subjects are created.
        let (kept, erased) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(0)))
        }
        #expect(try store.write { tx in try tx.subjects.delete(erased) })
        let created = try store.write { tx throws in
            var creation = try tx.subjects.creation()
            let created = (0..<40).map { creation.create(at: Fixture.time($0)) }
            try #expect(!tx.subjects.exists(created[0]), "nothing is written before writeHeld")
            try creation.writeHeld()
            return created
        }
        #expect(created == (0..<40).map { SubjectID(erased.rawValue + 1 + Int64($0)) })
        let next = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        #expect(next == SubjectID(erased.rawValue + 41))
        try store.read { tx throws in
            #expect(try tx.subjects.exists(kept))
            #expect(try !tx.subjects.exists(erased))
            #expect(try created.allSatisfy { try tx.subjects.exists($0) })
            #expect(try tx.subjects.createdAt(of: created[39]) == Fixture.time(39))
            #expect(try tx.subjects.count() == 42)
        }
    }

    @Test func aCreationRolledBackWritesNoSubject() throws {
        let store = try Store.inMemory()
        struct Abandoned: Error {}
        #expect(throws: Abandoned.self) {
            try store.write { tx throws in
                var creation = try tx.subjects.creation()
                _ = creation.create(at: Fixture.time(0))
                try creation.writeHeld()
                throw Abandoned()
            }
        }
        try store.read { tx throws in #expect(try tx.subjects.count() == 0) }
        let first = try store.write { tx throws in
            var creation = try tx.subjects.creation()
            let subject = creation.create(at: Fixture.time(0))
            try creation.writeHeld()
            return subject
        }
        #expect(first == SubjectID(1))
    }

    @Test func deletingASubjectErasesEveryRowAboutThem() throws {
        let store = try Store.inMemory()
        let (erased, kept, request) = try store.write { tx throws in
            let erased = try tx.subjects.create(at: Fixture.time(0))
            let kept = try tx.subjects.create(at: Fixture.time(0))
            for subject in [erased, kept] {
                let seed = Int(subject.rawValue) * 10
                try tx.identifiers.add(Fixture.identifier(of: subject, kind: .phone, seed: seed, variants: ["e164"]))
                try tx.dataKeys.insert(StoredDataKey(subject: subject, kekVersion: 1, wrapped: [UInt8(seed)]))
                try tx.consent.append(
                    StoredConsent(
                        subject: subject, purpose: "analytics", signal: .granted,
                        occurredAt: Fixture.time(0), recordedAt: Fixture.time(0), source: "web"
                    )
                )
                try tx.attributes.upsert(
                    StoredAttribute(subject: subject, name: "country", value: "DE", updatedAt: Fixture.time(0))
                )
                _ = try tx.events.insertIfAbsent(Fixture.purchase(of: subject, key: 1, at: 0, items: ["sku-1"]))
            }
            let request = try tx.rightsRequests.record(
                kind: .erasure, subject: erased, receivedAt: Fixture.time(0), deadline: Fixture.time(100)
            )
            return (erased, kept, request)
        }

        #expect(try store.write { tx in try tx.subjects.delete(erased) })

        try store.read { tx throws in
            #expect(try !tx.subjects.exists(erased))
            #expect(try tx.identifiers.identifiers(of: erased).isEmpty)
            #expect(try tx.identifiers.pseudonyms(of: erased).isEmpty)
            #expect(try tx.dataKeys.key(for: erased) == nil)
            #expect(try tx.consent.history(of: erased).isEmpty)
            #expect(try tx.attributes.attributes(of: erased).isEmpty)
            #expect(try tx.events.events(of: erased).isEmpty)
            var subjectsInIndex: Set<SubjectID> = []
            try tx.identifiers.forEachPseudonym { subjectsInIndex.insert($0.subject) }
            #expect(subjectsInIndex == [kept])
            #expect(try tx.events.count() == 1)
            let recorded = try #require(try tx.rightsRequests.find(request))
            #expect(recorded.subject == nil)
            #expect(try tx.dataKeys.key(for: kept) != nil)
        }
        #expect(try store.write { tx in try tx.subjects.delete(erased) } == false)
    }

    @Test func theIdOfAnErasedSubjectIsNeverReused() throws {
        let store = try Store.inMemory()
        let last = try store.write { tx throws in
            _ = try tx.subjects.create(at: Fixture.time(0))
            return try tx.subjects.create(at: Fixture.time(1))
        }
        _ = try store.write { tx in try tx.subjects.delete(last) }
        let next = try store.write { tx in try tx.subjects.create(at: Fixture.time(2)) }
        #expect(next > last)
    }
}
