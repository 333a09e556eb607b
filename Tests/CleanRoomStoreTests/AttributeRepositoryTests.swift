import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct AttributeRepositoryTests {
    @Test func theNewestValueWins() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        func attribute(_ value: String, at seconds: Int) -> StoredAttribute {
            StoredAttribute(subject: subject, name: "country", value: value, updatedAt: Fixture.time(seconds))
        }

        try store.write { tx throws in
            #expect(try tx.attributes.upsert(attribute("DE", at: 10)))
            #expect(try tx.attributes.upsert(attribute("FR", at: 20)))
            #expect(try tx.attributes.upsert(attribute("IT", at: 15)) == false)
            #expect(try tx.attributes.upsert(attribute("ES", at: 20)))
        }
        #expect(try store.read { tx in try tx.attributes.attributes(of: subject) } == [attribute("ES", at: 20)])
    }

    @Test func attributesRoundTripAndExpire() throws {
        let store = try Store.inMemory()
        let (first, second) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(0)))
        }
        let attributes = [
            StoredAttribute(subject: first, name: "country", value: "DE", updatedAt: Fixture.time(10)),
            StoredAttribute(subject: first, name: "age_band", value: "25-34", updatedAt: Fixture.time(30)),
            StoredAttribute(subject: second, name: "country", value: "NL", updatedAt: Fixture.time(40)),
        ]
        try store.write { tx throws in
            for attribute in attributes {
                try tx.attributes.upsert(attribute)
            }
        }
        try store.read { tx throws in
            #expect(try tx.attributes.attributes(of: first) == [attributes[1], attributes[0]])
            var all: [StoredAttribute] = []
            try tx.attributes.forEach { all.append($0) }
            #expect(all == [attributes[1], attributes[0], attributes[2]])
        }

        // Retention: the cutoff itself is kept, only strictly older values go.
        let deleted = try store.write { tx in
            try tx.attributes.delete(named: "country", updatedBefore: Fixture.time(40))
        }
        #expect(deleted == 1)
        try store.read { tx throws in
            #expect(try tx.attributes.attributes(of: first) == [attributes[1]])
            #expect(try tx.attributes.attributes(of: second) == [attributes[2]])
        }
    }
}
