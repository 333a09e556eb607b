import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct RightsRequestRepositoryTests {
    @Test func requestsAreRecordedCompletedAndListed() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        let (access, erasure, unknown) = try store.write { tx throws in
            (
                try tx.rightsRequests.record(
                    kind: .access, subject: subject, receivedAt: Fixture.time(0), deadline: Fixture.time(300)
                ),
                try tx.rightsRequests.record(
                    kind: .erasure, subject: subject, receivedAt: Fixture.time(10), deadline: Fixture.time(200)
                ),
                try tx.rightsRequests.record(
                    kind: .withdrawal, subject: nil, receivedAt: Fixture.time(20), deadline: Fixture.time(100)
                )
            )
        }
        #expect(access < erasure && erasure < unknown)

        try store.read { tx throws in
            #expect(try tx.rightsRequests.listOpen().map(\.id) == [unknown, erasure, access])
            #expect(try tx.rightsRequests.listOpen(overdueAt: Fixture.time(250)).map(\.id) == [unknown, erasure])
            #expect(try tx.rightsRequests.listOpen(overdueAt: Fixture.time(100)).isEmpty)
        }

        try store.write { tx throws in
            #expect(try tx.rightsRequests.complete(unknown, at: Fixture.time(30), outcome: "no data held"))
            #expect(try tx.rightsRequests.complete(unknown, at: Fixture.time(40), outcome: "again") == false)
        }

        try store.read { tx throws in
            #expect(try tx.rightsRequests.listOpen().map(\.id) == [erasure, access])
            let completed = try #require(try tx.rightsRequests.find(unknown))
            #expect(
                completed == StoredRightsRequest(
                    id: unknown, kind: .withdrawal, subject: nil, receivedAt: Fixture.time(20),
                    deadline: Fixture.time(100), completedAt: Fixture.time(30), outcome: "no data held"
                )
            )
            #expect(try tx.rightsRequests.find(access)?.subject == subject)
            #expect(try tx.rightsRequests.all().map(\.id) == [access, erasure, unknown])
        }
    }
}
