import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomRights
import CleanRoomStore
import Foundation
import Testing

/// Retention under the default policy: profile P3Y (attributes), browsing P13M (visit, click), shopping P6M
/// (add_to_cart), transactions P2Y (purchase).
struct RetentionSweepTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retention-\(UUID().uuidString)").path
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    func withStore(_ body: (Store, AuditLog) throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: self.root) }
        let store = try Store.open(path: self.root + "/cleanroom.sqlite")
        defer { try? store.close() }
        let audit = try AuditLog.open(
            directory: self.root + "/audit", signingKey: try Ed25519PrivateKey.generate(),
            options: AuditLog.Options(origin: "cleanroom/audit")
        ).log
        try body(store, audit)
    }

    func cutoff(_ category: String) -> Date {
        defaultPolicy.schema.category(named: category)!.retention.subtracted(from: Self.now)
    }

    static let millisecond = 0.001

    @Test func aValueExactlyAsOldAsItsRetentionStaysAndOneMillisecondOlderGoes() throws {
        try self.withStore { store, audit in
            let subject = try store.write { try $0.subjects.create(at: Self.now.addingTimeInterval(-10)) }
            let events: [(String, Date, UInt8)] = [
                ("visit", self.cutoff("browsing"), 1), ("visit", self.cutoff("browsing") - Self.millisecond, 2),
                ("add_to_cart", self.cutoff("shopping"), 3), ("add_to_cart", self.cutoff("shopping") - Self.millisecond, 4),
                ("purchase", self.cutoff("transactions"), 5), ("purchase", self.cutoff("transactions") - Self.millisecond, 6),
                ("purchase", self.cutoff("browsing") - 86_400, 7),  // past browsing's period, inside transactions'
            ]
            try store.write { transaction in
                for (type, time, key) in events {
                    _ = try transaction.events.insertIfAbsent(StoredEvent(
                        subject: subject, type: type, occurredAt: time, amount: nil, currency: nil, items: [], key: [key]))
                }
                try transaction.attributes.upsert([
                    StoredAttribute(subject: subject, name: "country", value: "DE", updatedAt: self.cutoff("profile")),
                    StoredAttribute(
                        subject: subject, name: "city", value: "Köln", updatedAt: self.cutoff("profile") - Self.millisecond),
                ], of: subject)
            }
            let result = try RetentionSweep(store: store, policy: defaultPolicy, audit: audit, principal: ("cli", "admin"))
                .run(at: Self.now)
            #expect(result.events == ["browsing": 1, "shopping": 1, "transactions": 1])
            #expect(result.attributes == ["profile": 1])
            #expect(result.subjects == 0)
            let kept = try store.read { try $0.events.events(of: subject) }.map { $0.key[0] }
            #expect(Set(kept) == [1, 3, 5, 7])
            #expect(try store.read { try $0.attributes.attributes(of: subject) }.map(\.name) == ["country"])
        }
    }

    @Test func aPersonLeftWithNothingGoesOnceHeldLongerThanTheLongestRetention() throws {
        try self.withStore { store, audit in
            let longest = self.cutoff("profile")  // P3Y is the policy's longest period
            let (old, recent, withData) = try store.write { transaction throws in
                let old = try transaction.subjects.create(at: longest - 60)
                let recent = try transaction.subjects.create(at: longest + 60)
                let withData = try transaction.subjects.create(at: longest - 60)
                for (subject, seed) in [(old, 1), (recent, 2), (withData, 3)] {
                    try transaction.identifiers.add(StoredIdentifier(
                        subject: subject, kind: .customerID, sealed: [UInt8(seed)],
                        variants: [.init(name: "customer_id", pseudonym: Pseudonym(bytes: Array(repeating: UInt8(seed), count: 32))!)],
                        addedAt: longest - 60))
                }
                _ = try transaction.events.insertIfAbsent(StoredEvent(
                    subject: withData, type: "purchase", occurredAt: Self.now - 60, amount: 10, currency: "EUR",
                    items: [], key: [9]))
                return (old, recent, withData)
            }
            let result = try RetentionSweep(store: store, policy: defaultPolicy, audit: audit, principal: ("cli", "admin"))
                .run(at: Self.now)
            #expect(result.subjects == 1)
            #expect(result.removedPseudonyms.map(\.pseudonym) == [Pseudonym(bytes: Array(repeating: 1, count: 32))!])
            try store.read { transaction throws in
                #expect(try !transaction.subjects.exists(old))
                #expect(try transaction.subjects.exists(recent))
                #expect(try transaction.subjects.exists(withData))
            }
            // The sweep is audited with its counts.
            var recorded: [AuditRecord] = []
            try AuditReader.forEachEntry(in: self.root + "/audit") { recorded.append($0.record) }
            #expect(recorded.last?.action == .retentionSweep)
            #expect(recorded.last?.request.text.contains(#""subjects_deleted":1"#) == true)
        }
    }

    @Test func dataThePolicyNoLongerDeclaresGoesAndSoDoesAPersonLeftWithNothing() throws {
        try self.withStore { store, audit in
            let longAgo = self.cutoff("profile") - 3_600
            let (kept, emptied) = try store.write { transaction throws in
                let kept = try transaction.subjects.create(at: longAgo)
                let emptied = try transaction.subjects.create(at: longAgo)
                try transaction.attributes.upsert([
                    StoredAttribute(subject: kept, name: "country", value: "DE", updatedAt: Self.now - 60),
                    StoredAttribute(subject: kept, name: "shoe_size", value: "42", updatedAt: Self.now - 60),
                ], of: kept)
                try transaction.attributes.upsert(
                    [StoredAttribute(subject: emptied, name: "shoe_size", value: "38", updatedAt: Self.now - 60)],
                    of: emptied)
                _ = try transaction.events.insertIfAbsent(StoredEvent(
                    subject: kept, type: "newsletter_open", occurredAt: Self.now - 60, amount: nil, currency: nil,
                    items: [], key: [1]))
                return (kept, emptied)
            }
            let result = try RetentionSweep(store: store, policy: defaultPolicy, audit: audit, principal: ("cli", "admin"))
                .run(at: Self.now)
            #expect(result.events[RetentionSweep.undeclared] == 1)
            #expect(result.attributes[RetentionSweep.undeclared] == 2)
            #expect(result.subjects == 1)
            try store.read { transaction throws in
                #expect(try transaction.attributes.attributes(of: kept).map(\.name) == ["country"])
                #expect(try transaction.events.events(of: kept).isEmpty)
                #expect(try transaction.subjects.exists(kept))
                #expect(try !transaction.subjects.exists(emptied))
            }
        }
    }
}
