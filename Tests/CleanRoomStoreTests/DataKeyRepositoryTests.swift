import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct DataKeyRepositoryTests {
    struct RotationFailed: Error, Equatable {}

    /// A store with `count` subjects, each with a data key wrapped by KEK version 1.
    private func storeWithKeys(_ count: Int) throws -> (Store, [StoredDataKey]) {
        let store = try Store.inMemory()
        let keys = try store.write { tx throws in
            try (0..<count).map { index in
                let subject = try tx.subjects.create(at: Fixture.time(index))
                let key = StoredDataKey(subject: subject, kekVersion: 1, wrapped: Fixture.sealed(index, count: 40))
                try tx.dataKeys.insert(key)
                return key
            }
        }
        return (store, keys)
    }

    private func allKeys(_ store: Store) throws -> [StoredDataKey] {
        try store.read { tx throws in
            var keys: [StoredDataKey] = []
            try tx.dataKeys.forEach { keys.append($0) }
            return keys
        }
    }

    private func rewrapped(_ key: StoredDataKey) -> StoredDataKey {
        StoredDataKey(subject: key.subject, kekVersion: 2, wrapped: key.wrapped.reversed())
    }

    @Test func keysRoundTrip() throws {
        let (store, keys) = try self.storeWithKeys(3)
        try store.read { tx throws in
            #expect(try tx.dataKeys.key(for: keys[1].subject) == keys[1])
            #expect(try tx.dataKeys.countsByKEKVersion() == [1: 3])
        }
        #expect(try self.allKeys(store) == keys)

        let duplicate = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.dataKeys.insert(keys[0]) }
        }
        #expect(duplicate.code == .constraint)

        #expect(try store.write { tx in try tx.dataKeys.delete(for: keys[0].subject) })
        #expect(try store.write { tx in try tx.dataKeys.delete(for: keys[0].subject) } == false)
        try store.read { tx throws in
            #expect(try tx.dataKeys.key(for: keys[0].subject) == nil)
            #expect(try tx.subjects.exists(keys[0].subject))
        }
    }

    @Test func aKeyNeedsASubjectThatExistsInTheTransaction() throws {
        let store = try Store.inMemory()
        let key = { (subject: SubjectID) in StoredDataKey(subject: subject, kekVersion: 1, wrapped: [1]) }
        let (kept, erased, keyless) = try store.write { tx throws in
            let keyless = try tx.subjects.create(at: Fixture.time(3))
            let kept = try tx.subjects.create(at: Fixture.time(0))
            let erased = try tx.subjects.create(at: Fixture.time(1))
            try tx.dataKeys.insert(key(kept))
            #expect(try tx.subjects.delete(erased))
            // Created and deleted in this transaction: no longer a subject to give a key to.
            let error = try #require(throws: StoreError.self) { try tx.dataKeys.insert(key(erased)) }
            #expect(error.code == .constraint)
            let twice = try #require(throws: StoreError.self) { try tx.dataKeys.insert(key(kept)) }
            #expect(twice.code == .constraint)
            return (kept, erased, keyless)
        }
        // Created in an earlier transaction, and never.
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.dataKeys.insert(key(SubjectID(erased.rawValue + 10))) }
        }
        #expect(error.code == .constraint)
        try store.write { tx in
            let later = try tx.subjects.create(at: Fixture.time(2))
            try tx.dataKeys.insert(key(later))
            try tx.dataKeys.insert(key(keyless))
        }
        #expect(try store.read { tx in try tx.dataKeys.key(for: keyless) } == key(keyless))
        #expect(try store.read { tx in try tx.dataKeys.key(for: kept) } == key(kept))
    }

    /// The keys of a transaction's new subjects go to the vault while the transaction goes on; it reads them back
    /// before and after it commits, and they take the same checks as keys inserted one by one.
    @Test func keysOfNewSubjectsAreWrittenAheadOfTheCommit() throws {
        let store = try Store.inMemory()
        let key = { (subject: SubjectID, byte: UInt8) in StoredDataKey(subject: subject, kekVersion: 1, wrapped: [byte]) }
        let (earlier, laterKey) = try store.write { tx throws in
            let earlier = try tx.subjects.create(at: Fixture.time(0))
            try tx.dataKeys.insert(key(earlier, 0))
            return (earlier, try tx.subjects.create(at: Fixture.time(1)))
        }
        let (kept, erased) = try store.write { tx throws in
            let created = try (0..<3).map { try tx.subjects.create(at: Fixture.time($0)) }
            try tx.dataKeys.insert(keysOfNewSubjects: created.map { key($0, 1) })
            #expect(try tx.dataKeys.key(for: created[1]) == key(created[1], 1))
            // Written ahead, then destroyed in the same transaction: it leaves the vault after the commit.
            #expect(try tx.dataKeys.delete(for: created[2]))
            #expect(try tx.dataKeys.key(for: created[2]) == nil)
            // Twice, for a subject of an earlier transaction (with a key or without), or for nobody: refused.
            for refused in [[key(created[0], 2)], [key(earlier, 2)], [key(laterKey, 2)], [key(SubjectID(99), 2)]] {
                let error = try #require(throws: StoreError.self) { try tx.dataKeys.insert(keysOfNewSubjects: refused) }
                #expect(error.code == .constraint)
            }
            let another = try tx.subjects.create(at: Fixture.time(4))
            let twice = try #require(throws: StoreError.self) {
                try tx.dataKeys.insert(keysOfNewSubjects: [key(another, 3), key(another, 4)])
            }
            #expect(twice.code == .constraint)
            let single = try #require(throws: StoreError.self) { try tx.dataKeys.insert(key(created[1], 5)) }
            #expect(single.code == .constraint)
            try tx.dataKeys.insert(keysOfNewSubjects: [])
            // A second write ahead in the same transaction.
            try tx.dataKeys.insert(keysOfNewSubjects: [key(another, 1)])
            return (Array(created.prefix(2)) + [another], created[2])
        }
        #expect(try self.allKeys(store) == [key(earlier, 0)] + kept.map { key($0, 1) })
        #expect(try store.read { tx in try tx.dataKeys.key(for: kept[2]) } == key(kept[2], 1))
        #expect(try store.read { tx in try tx.dataKeys.key(for: erased) } == nil)
    }

    /// A write that fails takes the keys it wrote ahead out of the vault again.
    @Test func keysWrittenAheadLeaveTheVaultWhenTheWriteFails() throws {
        let store = try Store.inMemory()
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.write { tx in
                let subjects = try (0..<100).map { try tx.subjects.create(at: Fixture.time($0)) }
                try tx.dataKeys.insert(
                    keysOfNewSubjects: subjects.map { StoredDataKey(subject: $0, kekVersion: 1, wrapped: [1]) })
                throw Refused()
            }
        }
        #expect(try self.allKeys(store).isEmpty)
        // The subjects' ids come again, and so can their keys.
        let (subjects, keys) = try store.write { tx throws in
            let subjects = try (0..<100).map { try tx.subjects.create(at: Fixture.time($0)) }
            let keys = subjects.map { StoredDataKey(subject: $0, kekVersion: 1, wrapped: [2]) }
            try tx.dataKeys.insert(keysOfNewSubjects: keys)
            return (subjects, keys)
        }
        #expect(subjects.count == 100)
        #expect(try self.allKeys(store) == keys)
    }

    @Test func rewrapReplacesEveryKeyAcrossPages() throws {
        let (store, keys) = try self.storeWithKeys(1_200)
        let replaced = try store.write { tx in try tx.dataKeys.rewrapAll(self.rewrapped) }
        #expect(replaced == 1_200)
        #expect(try self.allKeys(store) == keys.map(self.rewrapped))
        #expect(try store.read { tx in try tx.dataKeys.countsByKEKVersion() } == [2: 1_200])

        // A second run finds nothing left to change.
        let again = try store.write { tx throws in
            try tx.dataKeys.rewrapAll { $0.kekVersion == 2 ? $0 : self.rewrapped($0) }
        }
        #expect(again == 0)
    }

    @Test func aRewrapThatFailsHalfwayLeavesEveryKeyUnchanged() throws {
        let (store, keys) = try self.storeWithKeys(1_200)
        var seen = 0
        #expect(throws: RotationFailed()) {
            try store.write { tx throws in
                try tx.dataKeys.rewrapAll { key in
                    seen += 1
                    if seen == 1_100 { throw RotationFailed() }
                    return self.rewrapped(key)
                }
            }
        }
        #expect(seen == 1_100)
        #expect(try self.allKeys(store) == keys)
    }

    @Test func aRewrapMustKeepTheSubject() throws {
        let (store, keys) = try self.storeWithKeys(2)
        let error = try #require(throws: StoreError.self) {
            try store.write { tx throws in
                try tx.dataKeys.rewrapAll { key in
                    StoredDataKey(subject: keys[0].subject, kekVersion: 2, wrapped: key.wrapped)
                }
            }
        }
        #expect(error.code == .invalidArgument)
        #expect(try self.allKeys(store) == keys)
    }

    /// The vault writes a transaction's keys up to 32 per statement, the keys that replace a key destroyed in the
    /// same transaction apart from the new ones: every key ends as the transaction left it.
    @Test func keysReplacedAndAddedInOneTransactionEndAsItLeftThem() throws {
        let (store, keys) = try self.storeWithKeys(40)
        let added = try store.write { tx throws in
            for key in keys[..<35] {
                #expect(try tx.dataKeys.delete(for: key.subject))
                try tx.dataKeys.insert(self.rewrapped(key))
            }
            return try (0..<30).map { index in
                let key = StoredDataKey(
                    subject: try tx.subjects.create(at: Fixture.time(100 + index)), kekVersion: 2,
                    wrapped: Fixture.sealed(100 + index, count: 40))
                try tx.dataKeys.insert(key)
                return key
            }
        }
        #expect(try self.allKeys(store) == keys[..<35].map(self.rewrapped) + keys[35...] + added)
    }
}
