import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct IngestBatchRepositoryTests {
    private let batch = StoredIngestBatch(
        id: "sha256:batch-0001",
        digest: Fixture.sealed(3, count: 32),
        source: "web",
        startedAt: Fixture.time(0),
        committedAt: Fixture.time(9),
        counts: .init(accepted: 10, rejected: 2, suppressed: 1, duplicates: 3, subjectsCreated: 4, subjectsUpdated: 5)
    )

    @Test func aBatchIsRecordedAndFound() throws {
        let store = try Store.inMemory()
        try store.write { tx in try tx.batches.record(self.batch) }
        try store.read { tx throws in
            #expect(try tx.batches.find(id: self.batch.id) == self.batch)
            #expect(try tx.batches.find(id: "sha256:other") == nil)
        }
    }

    @Test func aBatchIsRecordedOnlyOnce() throws {
        let store = try Store.inMemory()
        try store.write { tx in try tx.batches.record(self.batch) }
        var replay = self.batch
        replay.source = nil
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.batches.record(replay) }
        }
        #expect(error.code == .constraint)
        #expect(error.message.contains("record an ingest batch"))
        #expect(!error.message.contains(self.batch.id))
        #expect(try store.read { tx in try tx.batches.find(id: self.batch.id) } == self.batch)
    }
}
