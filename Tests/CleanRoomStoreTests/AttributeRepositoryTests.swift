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

    @Test func severalAttributesOfASubjectAreSetTogetherEachUnlessNewerIsHeld() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        func attribute(_ name: String, _ value: String, at seconds: Int) -> StoredAttribute {
            StoredAttribute(subject: subject, name: name, value: value, updatedAt: Fixture.time(seconds))
        }
        try store.write { tx throws in
            #expect(try tx.attributes.upsert([attribute("country", "DE", at: 10), attribute("city", "Köln", at: 10)], of: subject) == 2)
            #expect(try tx.attributes.upsert([attribute("country", "FR", at: 5), attribute("city", "Lyon", at: 20)], of: subject) == 1)
            #expect(try tx.attributes.upsert([], of: subject) == 0)
        }
        #expect(try store.read { tx in try tx.attributes.attributes(of: subject) } == [
            attribute("city", "Lyon", at: 20), attribute("country", "DE", at: 10),
        ])
    }

    @Test func anUpsertMustBeAboutOneSubjectWithEachNameOnce() throws {
        let store = try Store.inMemory()
        let (first, second) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(0)))
        }
        let country = StoredAttribute(subject: first, name: "country", value: "DE", updatedAt: Fixture.time(1))
        var other = country
        other.subject = second
        for attributes in [[country, other], [country, country]] {
            let error = #expect(throws: StoreError.self) {
                try store.write { tx in try tx.attributes.upsert(attributes, of: first) }
            }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try store.read { tx in try tx.attributes.attributes(of: first) }.isEmpty)
    }

    @Test func anUnknownSubjectIsAConstraintError() throws {
        let store = try Store.inMemory()
        let attribute = StoredAttribute(subject: SubjectID(42), name: "country", value: "DE", updatedAt: Fixture.time(1))
        let error = #expect(throws: StoreError.self) { try store.write { tx in try tx.attributes.upsert(attribute) } }
        #expect(error?.code == .constraint)
    }

    /// New people's attributes inserted together are written up to 32 per statement; a person without
    /// attributes gets no row.
    @Test func attributesOfManyNewPeopleInsertedTogether() throws {
        let store = try Store.inMemory()
        let subjects = try store.write { tx in try (0..<40).map { _ in try tx.subjects.create(at: Fixture.time(0)) } }
        let rows = subjects.enumerated().map { number, subject in
            (subject: subject,
             attributes: AttributeRow(number == 7 ? [:] : ["country": "DE", "rank": "\(number)"], at: Fixture.time(number)))
        }
        try store.write { tx in try tx.attributes.insert(contentsOf: rows) }

        try store.read { tx throws in
            for (number, subject) in subjects.enumerated() {
                let expected = number == 7 ? [] : [
                    StoredAttribute(subject: subject, name: "country", value: "DE", updatedAt: Fixture.time(number)),
                    StoredAttribute(subject: subject, name: "rank", value: "\(number)", updatedAt: Fixture.time(number)),
                ]
                #expect(try tx.attributes.attributes(of: subject) == expected)
            }
        }
    }
}
