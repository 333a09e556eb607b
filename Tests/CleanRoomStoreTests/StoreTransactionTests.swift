import CleanRoomCore
import CleanRoomStore
import Dispatch
import Foundation
import Testing

/// Transactions: atomicity, read-only access, concurrency, error mapping.
struct StoreTransactionTests {
    struct Abort: Error, Equatable {}

    @Test func aWriteThatThrowsRollsEverythingBack() throws {
        let store = try Store.inMemory()
        let existing = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }

        #expect(throws: Abort()) {
            try store.write { tx throws in
                let subject = try tx.subjects.create(at: Fixture.time(1))
                try tx.identifiers.add(Fixture.identifier(of: subject, kind: .email, seed: 1, variants: ["basic"]))
                try tx.dataKeys.insert(StoredDataKey(subject: subject, kekVersion: 1, wrapped: [1, 2, 3]))
                _ = try tx.events.insertIfAbsent(Fixture.purchase(of: subject, key: 1, at: 5, items: ["sku-1"]))
                try tx.attributes.upsert(
                    StoredAttribute(subject: existing, name: "country", value: "FR", updatedAt: Fixture.time(1))
                )
                try tx.suppression.add(Fixture.pseudonym(99), at: Fixture.time(1))
                try tx.batches.record(
                    StoredIngestBatch(
                        id: "batch-1", digest: [9], source: nil, startedAt: Fixture.time(0),
                        committedAt: Fixture.time(1), counts: .init(accepted: 1)
                    )
                )
                throw Abort()
            }
        }

        try store.read { tx throws in
            #expect(try tx.subjects.count() == 1)
            #expect(try tx.events.count() == 0)
            #expect(try tx.attributes.attributes(of: existing).isEmpty)
            #expect(try tx.suppression.count() == 0)
            #expect(try tx.batches.find(id: "batch-1") == nil)
            var pseudonyms = 0
            try tx.identifiers.forEachPseudonym { _ in pseudonyms += 1 }
            #expect(pseudonyms == 0)
            #expect(try tx.dataKeys.countsByKEKVersion().isEmpty)
        }
    }

    @Test func aReadCannotWrite() throws {
        let store = try Store.inMemory()
        let error = try #require(throws: StoreError.self) {
            try store.read { tx in try tx.subjects.create(at: Fixture.time(0)) }
        }
        #expect(error.code == .readOnly)
        #expect(try store.read { tx in try tx.subjects.count() } == 0)
    }

    @Test func constraintErrorsNameTheRuleButNoValue() throws {
        let store = try Store.inMemory()
        let unknown = SubjectID(987_654_321)
        let identifier = Fixture.identifier(of: unknown, kind: .email, seed: 7, variants: ["basic"])
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.identifiers.add(identifier) }
        }
        #expect(error.code == .constraint)
        #expect(error.message.contains("add an identifier"))
        #expect(!error.description.contains("987654321"))
        let sealedHex = identifier.sealed.map { String($0, radix: 16) }.joined()
        #expect(!error.description.contains(sealedHex))
    }

    @Test func readersProceedWhileAWriteIsOpenAndSeeTheLastCommit() async throws {
        try await withTemporaryDirectory { directory in
            let store = try Store.open(path: directory.appendingPathComponent("concurrent.sqlite").path)
            try await store.write { tx in _ = try tx.subjects.create(at: Fixture.time(0)) }

            let insideWrite = DispatchSemaphore(value: 0)
            let readersDone = DispatchSemaphore(value: 0)
            let writeFinished = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                _ = try? store.write { tx throws in
                    for index in 1...100 {
                        _ = try tx.subjects.create(at: Fixture.time(index))
                    }
                    insideWrite.signal()
                    // Keep the transaction open until the readers are done (bounded, so a bug fails, not hangs).
                    _ = readersDone.wait(timeout: .now() + 10)
                }
                writeFinished.signal()
            }
            try #require(insideWrite.wait(timeout: .now() + 10) == .success)

            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await store.read { tx in try tx.subjects.count() } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            readersDone.signal()
            #expect(counts == [1, 1, 1, 1])

            try #require(writeFinished.wait(timeout: .now() + 10) == .success)
            #expect(try await store.read { tx in try tx.subjects.count() } == 101)
            try store.close()
        }
    }
}
