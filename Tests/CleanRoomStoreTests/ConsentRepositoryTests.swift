import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct ConsentRepositoryTests {
    private func entry(
        _ subject: SubjectID,
        _ purpose: String,
        _ signal: StoredConsent.Signal,
        at seconds: Int,
        source: String? = "web"
    ) -> StoredConsent {
        StoredConsent(
            subject: subject, purpose: purpose, signal: signal,
            occurredAt: Fixture.time(seconds), recordedAt: Fixture.time(1_000), source: source
        )
    }

    @Test func historyIsOrderedBySignalTimeAndTheLedgerByArrival() throws {
        let store = try Store.inMemory()
        let (subject, other) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(0)))
        }
        let later = self.entry(subject, "analytics", .withdrawn, at: 50, source: "preference-center")
        let earlier = self.entry(subject, "analytics", .granted, at: 10)
        let sameTime = self.entry(subject, "ads_measurement", .objection, at: 50, source: nil)
        let otherEntry = self.entry(other, "analytics", .granted, at: 5)
        try store.write { tx throws in
            for entry in [later, earlier, otherEntry, sameTime] {
                try tx.consent.append(entry)
            }
        }

        try store.read { tx throws in
            #expect(try tx.consent.history(of: subject) == [earlier, later, sameTime])
            #expect(try tx.consent.history(of: other) == [otherEntry])
            var ledger: [StoredConsent] = []
            try tx.consent.forEach { ledger.append($0) }
            #expect(ledger == [later, earlier, otherEntry, sameTime])
        }
    }

    /// Values bound straight through SQLite's C API keep their kind: an empty source is '', not NULL.
    @Test func anEmptyTextStaysEmptyAndAMissingOneStaysMissing() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        try store.write { tx in
            for (seconds, source) in [(1, ""), (2, nil), (3, "web")] as [(Int, String?)] {
                try tx.consent.append(StoredConsent(
                    subject: subject, purpose: "analytics", signal: .granted, occurredAt: Fixture.time(seconds),
                    recordedAt: Fixture.time(seconds), source: source))
            }
        }
        #expect(try store.read { tx in try tx.consent.history(of: subject) }.map(\.source) == ["", nil, "web"])
    }

    @Test func consentOfAnUnknownSubjectIsRefused() throws {
        let store = try Store.inMemory()
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.consent.append(self.entry(SubjectID(7), "analytics", .granted, at: 0)) }
        }
        #expect(error.code == .constraint)
    }

    /// Entries appended together are written up to 32 per statement: 70 of them take three statements, the last
    /// of 6 rows, and keep their order in the ledger and in each history.
    @Test func entriesAppendedTogetherKeepTheirOrderAcrossStatements() throws {
        let store = try Store.inMemory()
        let subjects = try store.write { tx in try (0..<3).map { _ in try tx.subjects.create(at: Fixture.time(0)) } }
        let entries = (0..<70).map { number in
            self.entry(
                subjects[number % 3], "purpose-\(number)", number.isMultiple(of: 2) ? .granted : .withdrawn,
                at: 100 - number, source: number.isMultiple(of: 5) ? nil : "web")
        }
        try store.write { tx in try tx.consent.append(contentsOf: entries) }

        try store.read { tx throws in
            var ledger: [StoredConsent] = []
            try tx.consent.forEach { ledger.append($0) }
            #expect(ledger == entries)
            for subject in subjects {
                #expect(try tx.consent.history(of: subject) == entries.filter { $0.subject == subject }.reversed())
            }
        }
    }

    /// One entry of an unknown subject fails the whole write: no entry before or after it is kept.
    @Test func anUnknownSubjectAmongEntriesAppendedTogetherFailsTheWrite() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        var entries = (0..<40).map { self.entry(subject, "analytics", .granted, at: $0) }
        entries[35] = self.entry(SubjectID(99), "analytics", .granted, at: 35)
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.consent.append(contentsOf: entries) }
        }
        #expect(error.code == .constraint)
        #expect(try store.read { tx in try tx.consent.history(of: subject) }.isEmpty)
    }
}
