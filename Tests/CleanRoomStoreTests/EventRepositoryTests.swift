import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

struct EventRepositoryTests {
    @Test func anEventIsStoredOncePerSubjectAndKey() throws {
        let store = try Store.inMemory()
        let (subject, other) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(0)))
        }
        let purchase = Fixture.purchase(of: subject, key: 1, at: 100, items: ["sku-1", "sku-7", "sku-1"])

        #expect(try store.write { tx in try tx.events.insertIfAbsent(purchase) })
        // A replay, even in another transaction and with different details, is a duplicate.
        var replay = purchase
        replay.items = ["sku-9"]
        #expect(try store.write { tx in try tx.events.insertIfAbsent(replay) } == false)
        // The same key for another subject is another event.
        var otherPurchase = purchase
        otherPurchase.subject = other
        #expect(try store.write { tx in try tx.events.insertIfAbsent(otherPurchase) })

        try store.read { tx throws in
            #expect(try tx.events.count() == 2)
            #expect(try tx.events.events(of: subject) == [purchase])
        }
    }

    /// An event's items are inserted up to 32 per statement: 70 items take three, and keep their positions.
    @Test func anEventWithManyItemsKeepsThemInOrder() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        let basket = Fixture.purchase(of: subject, key: 1, at: 100, items: (0..<70).map { "sku-\($0 % 9)-\($0)" })
        #expect(try store.write { tx in try tx.events.insertIfAbsent(basket) })
        #expect(try store.read { tx in try tx.events.events(of: subject) } == [basket])
    }

    @Test func eventsRoundTripWithItemsInOrder() throws {
        let store = try Store.inMemory()
        let (first, second) = try store.write { tx throws in
            (try tx.subjects.create(at: Fixture.time(0)), try tx.subjects.create(at: Fixture.time(0)))
        }
        let late = Fixture.purchase(of: first, key: 1, at: 300, items: ["b", "a"])
        let visit = StoredEvent(
            subject: second, type: "visit", occurredAt: Fixture.time(50), amount: nil, currency: nil, items: [],
            key: Array(repeating: 7, count: 64)
        )
        let early = Fixture.purchase(of: first, key: 2, at: 100, items: ["c"])
        try store.write { tx throws in
            for event in [late, visit, early] {
                #expect(try tx.events.insertIfAbsent(event))
            }
        }
        try store.read { tx throws in
            #expect(try tx.events.events(of: first) == [early, late])
            var all: [StoredEvent] = []
            try tx.events.forEach { all.append($0) }
            #expect(all == [late, visit, early])
        }
    }

    @Test func expiredEventsAreDeletedByTypeAndTime() throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        let old = Fixture.purchase(of: subject, key: 1, at: 10, items: ["x"])
        let boundary = Fixture.purchase(of: subject, key: 2, at: 20, items: ["y"])
        var oldVisit = Fixture.purchase(of: subject, key: 3, at: 5)
        oldVisit.type = "visit"
        try store.write { tx throws in
            for event in [old, boundary, oldVisit] {
                _ = try tx.events.insertIfAbsent(event)
            }
        }
        #expect(try store.write { tx in try tx.events.delete(type: "purchase", occurredBefore: Fixture.time(20)) } == 1)
        #expect(try store.read { tx in try tx.events.events(of: subject) } == [oldVisit, boundary])
        // Its key is free again: the event and its items are gone.
        #expect(try store.write { tx in try tx.events.insertIfAbsent(old) })
    }

    @Test(arguments: [[UInt8](), [UInt8](repeating: 1, count: 65)])
    func anEventKeyMustBeOneTo64Bytes(key: [UInt8]) throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        var event = Fixture.purchase(of: subject, key: 1, at: 0)
        event.key = key
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.events.insertIfAbsent(event) }
        }
        #expect(error.code == .invalidArgument)
    }

    @Test(arguments: [Double.nan, .infinity])
    func anAmountMustBeFinite(amount: Double) throws {
        let store = try Store.inMemory()
        let subject = try store.write { tx in try tx.subjects.create(at: Fixture.time(0)) }
        var event = Fixture.purchase(of: subject, key: 1, at: 0)
        event.amount = amount
        let error = try #require(throws: StoreError.self) {
            try store.write { tx in try tx.events.insertIfAbsent(event) }
        }
        #expect(error.code == .invalidArgument)
    }
}
