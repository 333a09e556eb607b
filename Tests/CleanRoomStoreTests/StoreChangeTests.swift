import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation
import Synchronization
import Testing

/// The change feed that keeps in-memory indexes current.
struct StoreChangeTests {
    final class Recorder: Sendable {
        let changes = Mutex<[StoreChange]>([])
        func callAsFunction(_ change: StoreChange) { self.changes.withLock { $0.append(change) } }
        var all: [StoreChange] { self.changes.withLock { $0 } }
    }

    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func aCommittedWriteNamesThePeopleItTouched() throws {
        let store = try Store.inMemory()
        let recorder = Recorder()
        store.observeChanges { recorder($0) }
        let (first, second) = try store.write { transaction in
            (try transaction.subjects.create(at: self.now), try transaction.subjects.create(at: self.now))
        }
        try store.write { transaction in
            try transaction.consent.append(StoredConsent(
                subject: first, purpose: "analytics", signal: .withdrawn, occurredAt: self.now, recordedAt: self.now,
                source: nil))
        }
        try store.write { transaction in
            _ = try transaction.events.insertIfAbsent(StoredEvent(
                subject: second, type: "visit", occurredAt: self.now, amount: nil, currency: nil, items: [], key: [1]))
            try transaction.attributes.upsert(
                StoredAttribute(subject: first, name: "country", value: "DE", updatedAt: self.now))
        }
        _ = try store.write { try $0.subjects.delete(second) }
        #expect(recorder.all == [
            StoreChange(subjects: [first, second]), StoreChange(subjects: [first]),
            StoreChange(subjects: [first, second]), StoreChange(subjects: [second]),
        ])
    }

    @Test func aRolledBackWriteOrAReadIsNotReported() throws {
        let store = try Store.inMemory()
        let recorder = Recorder()
        store.observeChanges { recorder($0) }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.write { transaction in
                _ = try transaction.subjects.create(at: self.now)
                throw Abort()
            }
        }
        _ = try store.read { try $0.subjects.count() }
        #expect(recorder.all.isEmpty)
    }

    @Test func bulkRetentionDeletesReportEveryone() throws {
        let store = try Store.inMemory()
        let recorder = Recorder()
        store.observeChanges { recorder($0) }
        try store.write { try $0.events.delete(type: "visit", occurredBefore: self.now) }
        #expect(recorder.all == [StoreChange(everyone: true)])
    }

    @Test func theGuardFindsAPrincipalsCohortsBySize() throws {
        let store = try Store.inMemory()
        let subjects = try store.write { transaction in
            try (0..<10).map { _ in try transaction.subjects.create(at: self.now) }
        }
        let small = CohortMembers(subjects.prefix(3))
        let large = CohortMembers(subjects)
        try store.write { transaction in
            for (members, size) in [(small, 3), (large, 10)] {
                try transaction.cohortReleases.guardCohort(
                    principal: "partner-a", members: members, size: size, digest: SHA256.hash(members.encoded),
                    auditSequence: 1)
            }
            // Noted again: kept once.
            try transaction.cohortReleases.guardCohort(
                principal: "partner-a", members: small, size: 3, digest: SHA256.hash(small.encoded), auditSequence: 2)
        }
        let found = try store.read { try $0.cohortReleases.guardedCohorts(principal: "partner-a", sizes: 1...5) }
        #expect(found == [small])
        let others = try store.read {
            try $0.cohortReleases.guardedCohorts(principal: "partner-a", sizes: 1...5, excluding: SHA256.hash(small.encoded))
        }
        #expect(others.isEmpty)
        #expect(try store.read { try $0.cohortReleases.guardedCohorts(principal: "partner-b", sizes: 0...100) }.isEmpty)
    }
}
