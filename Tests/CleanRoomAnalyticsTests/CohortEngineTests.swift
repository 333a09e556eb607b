@testable import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
import CleanRoomRights
import CleanRoomStore
import Foundation
import Testing

/// The engine follows every kind of write without a restart: ingest, consent change, erasure, retention sweep.
struct CohortEngineTests {
    /// A real home: keys, the policy with k = 5, an audit log, a store, the identity index and the ingest gateway.
    final class Home {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)").path
        let policy = testPolicy(k: 5, exempt: ["nordwind-analytics"])
        let keyring: Keyring
        let store: Store
        let index = IdentityIndex()
        let audit: AuditLog

        init() throws {
            try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
            try Keyring.create(in: self.root + "/keys")
            self.keyring = try Keyring.open(in: self.root + "/keys")
            self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
            self.audit = try AuditLog.open(
                directory: self.root + "/audit", signingKey: self.keyring.auditSigningKey,
                options: AuditLog.Options(origin: "cleanroom/audit")
            ).log
        }

        deinit {
            try? self.store.close()
            try? FileManager.default.removeItem(atPath: self.root)
        }

        /// Ingests JSON Lines through the gateway.
        func ingest(_ lines: [String], name: String) throws {
            let path = self.root + "/" + name
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            _ = try Ingestor(store: self.store, keyring: self.keyring, policy: self.policy, index: self.index,
                             audit: self.audit).ingest(path: path)
        }

        /// Customers `range`, in `country`, consenting to analytics, each with a purchase `daysAgo` days ago.
        func customers(_ range: ClosedRange<Int>, country: String, daysAgo: Int = 3) throws {
            let at = Date(timeIntervalSinceNow: -Double(daysAgo) * 86_400).formatted(.iso8601)
            try self.ingest(range.map { person in
                #"{"type":"customer","customer_id":"c-\#(person)","attributes":{"country":"\#(country)"},"#
                    + #""consent":{"analytics":true},"consent_at":"2026-01-01T00:00:00Z"}"#
            }, name: "customers-\(range.lowerBound).jsonl")
            try self.ingest(range.map { person in
                #"{"type":"event","customer_id":"c-\#(person)","event":"purchase","at":"\#(at)","amount":10,"#
                    + #""currency":"EUR","items":["sku-1"]}"#
            }, name: "events-\(range.lowerBound).jsonl")
        }

        func desk() throws -> RightsDesk {
            try RightsDesk(store: self.store, keyring: self.keyring, policy: self.policy, index: self.index, audit: self.audit)
        }

        func analyst(_ engine: CohortEngine) -> Analyst {
            Analyst(engine: engine, store: self.store, policy: self.policy, segments: SegmentCatalog(), audit: self.audit)
        }
    }

    func people(_ analyst: Analyst, country: String? = nil) throws -> Double? {
        var query = Query(purpose: "analytics", metrics: [.people, .amountSum])
        if let country { query.conditions = [.attribute(.init(attribute: "country", values: [country]))] }
        return try analyst.run(query, as: "nordwind-analytics", at: Date()).total.values[.people]
    }

    @Test func ingestConsentChangesErasureAndRetentionReachTheNextQueryWithoutARestart() throws {
        let home = try Home()
        try home.customers(1...10, country: "DE")
        let engine = try CohortEngine(store: home.store, policy: home.policy)
        let analyst = home.analyst(engine)
        #expect(try self.people(analyst) == 10)

        // Ingest: new people and a move to another country.
        try home.customers(11...16, country: "FR")
        try home.ingest(
            [#"{"type":"customer","customer_id":"c-1","attributes":{"country":"FR"},"source":"crm"}"#], name: "move.jsonl")
        #expect(try self.people(analyst) == 16)
        #expect(try self.people(analyst, country: "FR") == 7)

        // Consent: a withdrawal through the rights desk, and a consent record through the gateway.
        _ = try home.desk().withdraw(PersonIdentifier(kind: .customerID, value: "c-2"), purposes: ["analytics"])
        try home.ingest([
            #"{"type":"consent","customer_id":"c-3","purpose":"analytics","granted":false,"at":"2026-06-01T00:00:00Z"}"#,
        ], name: "consents.jsonl")
        #expect(try self.people(analyst) == 14)

        // Erasure.
        _ = try home.desk().erase(PersonIdentifier(kind: .customerID, value: "c-4"))
        #expect(try self.people(analyst) == 13)
        #expect(try engine.current().peopleCount == 15)

        // Retention: purchases older than P2Y go, and people left with nothing once held longer than P3Y.
        try home.customers(17...22, country: "NL", daysAgo: 800)
        let withOldPurchases = try analyst.run(
            Query(purpose: "analytics", conditions: [.attribute(.init(attribute: "country", values: ["NL"]))],
                  metrics: [.people, .events]),
            as: "nordwind-analytics", at: Date())
        #expect(withOldPurchases.total.values[.events] == 0)  // already out of the count before the sweep
        let sweep = try RetentionSweep(store: home.store, policy: home.policy, audit: home.audit,
                                       principal: ("cli", "admin")).run(at: Date())
        #expect(sweep.events["transactions"] == 6)
        #expect(try engine.current().eventTotal == 15)
        #expect(try self.people(analyst) == 19)
    }

    @Test func theIndexAgreesWithAFreshLoadAfterEveryKindOfChange() throws {
        let home = try Home()
        try home.customers(1...8, country: "DE")
        let engine = try CohortEngine(store: home.store, policy: home.policy)
        try home.customers(9...12, country: "AT")
        _ = try home.desk().withdraw(PersonIdentifier(kind: .customerID, value: "c-9"), purposes: ["analytics"])
        _ = try home.desk().erase(PersonIdentifier(kind: .customerID, value: "c-10"))
        let kept = try engine.current()
        let fresh = try CohortIndex.load(from: home.store, policy: home.policy, at: Date())
        #expect(kept.present.rows.map { kept.subject(ofRow: $0) } == fresh.present.rows.map { fresh.subject(ofRow: $0) })
        for purpose in kept.purposes.indices {
            #expect(kept.allowed[purpose].rows.map { kept.subject(ofRow: $0) }
                == fresh.allowed[purpose].rows.map { fresh.subject(ofRow: $0) })
        }
        #expect(kept.eventTotal == fresh.eventTotal)
        // Event by event, and attribute by attribute: the bulk load and the person-by-person updates agree.
        func events(_ index: CohortIndex, _ row: Int) -> [String] {
            let start = Int(index.eventStart[row])
            return (start..<start + Int(index.eventCount[row])).map { event in
                let itemStart = Int(index.eventItemStart[event])
                let items = index.items[itemStart..<itemStart + Int(index.eventItemCount[event])]
                return "\(index.eventType[event]) \(index.eventTime[event]) \(index.eventAmount[event]) "
                    + items.map { index.itemValues.text(of: $0) }.joined(separator: ",")
            }
        }
        for row in fresh.present.rows {
            let keptRow = try #require(kept.row(of: fresh.subject(ofRow: row)))
            #expect(events(kept, keptRow) == events(fresh, row))
            for column in fresh.attributeCodes.indices {
                #expect(kept.attributeValues[column].text(of: kept.attributeCodes[column][keptRow])
                    == fresh.attributeValues[column].text(of: fresh.attributeCodes[column][row]))
            }
        }
    }

    @Test func aConsentSignalDatedLaterTakesEffectWhenItsTimeComes() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: ["nordwind-analytics"]))
        let people = try fixture.people(8, ["country": "DE"])
        try fixture.store.write { transaction in
            try transaction.consent.append(StoredConsent(
                subject: people[0], purpose: "analytics", signal: .withdrawn,
                occurredAt: AnalyticsFixture.now + 3_600, recordedAt: AnalyticsFixture.now, source: "test"))
        }
        let analyst = try fixture.analyst()
        let count = Query(purpose: "analytics")
        #expect(try analyst.run(count, as: "nordwind-analytics", at: AnalyticsFixture.now).total.values[.people] == 8)
        let later = AnalyticsFixture.now + 7_200
        #expect(try analyst.run(count, as: "nordwind-analytics", at: later).total.values[.people] == 7)
    }
}
