import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct SuppressionRepositoryTests {
    @Test func pseudonymsAreAddedOnceAndFound() throws {
        let store = try Store.inMemory()
        try store.write { tx throws in
            #expect(try tx.suppression.add(Fixture.pseudonym(1), at: Fixture.time(0)))
            #expect(try tx.suppression.add(Fixture.pseudonym(2), at: Fixture.time(0)))
            #expect(try tx.suppression.add(Fixture.pseudonym(1), at: Fixture.time(5)) == false)
        }
        try store.read { tx throws in
            #expect(try tx.suppression.contains(Fixture.pseudonym(1)))
            #expect(try tx.suppression.contains(Fixture.pseudonym(2)))
            #expect(try !tx.suppression.contains(Fixture.pseudonym(3)))
            #expect(try tx.suppression.count() == 2)
            var listed: Set<Pseudonym> = []
            try tx.suppression.forEach { listed.insert($0) }
            #expect(listed == [Fixture.pseudonym(1), Fixture.pseudonym(2)])
        }
    }
}
