import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomIngest
import CleanRoomStore
import Foundation
import Testing

struct IngestorTests {
    @Test func jsonLinesOfEveryKind() throws {
        let fixture = try IngestFixture()
        let summary = try fixture.ingest("data.jsonl", [
            customerLine("c-1", email: "Jane.Doe+news@gmail.com", phone: "030 1234567",
                         consent: #"{"analytics":true,"partner_matching":false}"#, at: "2026-03-01T10:00:00Z", source: "web"),
            customerLine("c-2", email: "bob@example.com", attributes: #"{"country":"FR","age_band":"35-44","household_size":3,"newsletter_subscriber":true}"#),
            #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-03-02T09:30:00Z","amount":42.5,"currency":"EUR","items":["sku-1","sku-7"]}"#,
            #"{"type":"event","email":"bob@example.com","event":"visit","at":"2026-03-02T09:31:00.250Z"}"#,
            #"{"type":"consent","customer_id":"c-2","purpose":"analytics","granted":true,"at":"2026-03-03T00:00:00Z","source":"preference-center"}"#,
        ])
        #expect(summary.accepted == 5 && summary.rejected == 0 && summary.subjectsCreated == 2)
        #expect(try fixture.subjectCount == 2 && fixture.eventCount == 2)
        #expect(Set(try fixture.people()) == [
            ["customer_id:c-1", "email:Jane.Doe+news@gmail.com", "phone:030 1234567"],
            ["customer_id:c-2", "email:bob@example.com"],
        ])
        #expect(try fixture.consent(ofCustomer: "c-1") == ["analytics=granted", "partner_matching=withdrawn"])
        #expect(try fixture.consent(ofCustomer: "c-2") == ["analytics=granted"])
        let attributes = try fixture.store.read { transaction in
            let pseudonym = try IdentifierNormalizer().canonicalMatchHash(kind: .customerID, raw: "c-2")
                .pseudonym(matchKey: fixture.keyring.matchKey)
            return try transaction.attributes.attributes(of: #require(fixture.index.subject(for: pseudonym, kind: .customerID)))
        }
        #expect(Dictionary(uniqueKeysWithValues: attributes.map { ($0.name, $0.value) }) ==
            ["country": "FR", "age_band": "35-44", "household_size": "3", "newsletter_subscriber": "true"])
    }

    @Test func csvCustomersWithQuotingBOMAndConsentColumnsThenEvents() throws {
        let fixture = try IngestFixture()
        let customers = try fixture.write("customers.csv", [
            "\u{FEFF}customer_id,email,phone,country,city,consent_analytics,consent_at,source",
            #"c-1,anna@example.de,030 1234567,DE,"Berlin, Mitte",true,2026-03-01T10:00:00Z,crm"#,
            #"c-2,"bob@example.com",,FR,"Paris""",false,2026-03-01T10:00:00Z,crm"#,
            "c-3,,,XX,,,,",
        ])
        let summary = try fixture.ingestor().ingest(path: customers)
        #expect(summary.accepted == 2 && summary.rejected == 1)
        #expect(try fixture.rejects("customers.csv").map(\.reason) == ["value_not_allowed"])
        #expect(try fixture.rejects("customers.csv").first?.line == 4)

        let events = try fixture.write("events.csv", [
            "customer_id,event,at,amount,currency,items",
            "c-1,purchase,2026-03-02T09:30:00Z,19.99,EUR,sku-1|sku-2",
            "c-2,click,2026-03-02T09:30:00Z,,,",
            "c-1,visit,2026-03-02T09:30:00Z,5,EUR,",
        ])
        let eventSummary = try fixture.ingestor().ingest(path: events)
        #expect(eventSummary.accepted == 2 && eventSummary.rejected == 1)
        #expect(try fixture.rejects("events.csv").map(\.reason) == ["field_not_allowed"])
        let stored = try fixture.store.read { transaction in
            var all: [StoredEvent] = []
            try transaction.events.forEach { all.append($0) }
            return all
        }
        #expect(stored.contains { $0.type == "purchase" && $0.items == ["sku-1", "sku-2"] && $0.amount == 19.99 })
    }

    @Test func aCSVHeaderThePolicyDoesNotKnowStopsBeforeAnythingIsWritten() throws {
        let fixture = try IngestFixture()
        let path = try fixture.write("customers.csv", ["customer_id,email,shoe_size", "c-1,a@example.com,42"])
        let error = #expect(throws: IngestError.self) { try fixture.ingestor().ingest(path: path) }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains("shoe_size") == true)
        #expect(try fixture.subjectCount == 0)
        #expect(fixture.audit.size == 0)
    }

    @Test func anEmptyCSVFileHasNoHeaderAndStopsWithAClearError() throws {
        let fixture = try IngestFixture()
        let path = fixture.root + "/empty.csv"
        FileManager.default.createFile(atPath: path, contents: Data())
        let error = #expect(throws: IngestError.self) { try fixture.ingestor().ingest(path: path) }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.contains("header row") == true)
        #expect(fixture.audit.size == 0)
    }

    @Test func anUnreadableOrNonUTF8FileStopsBeforeAnythingIsWritten() throws {
        let fixture = try IngestFixture()
        let latin1 = fixture.root + "/latin1.jsonl"
        try Data([0x7B, 0x22, 0x65, 0xE9, 0x22, 0x7D, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        let wrong = #expect(throws: IngestError.self) { try fixture.ingestor().ingest(path: latin1) }
        #expect(wrong?.code == .wrongEncoding)
        let missing = #expect(throws: IngestError.self) { try fixture.ingestor().ingest(path: fixture.root + "/none.jsonl") }
        #expect(missing?.code == .unreadableInput)
        #expect(try fixture.subjectCount == 0)
        #expect(!FileManager.default.fileExists(atPath: latin1 + ".rejects.jsonl"), "not even a rejects file")
    }

    @Test func anIdentityIndexStillLoadingResolvesPeopleAsALoadedOneDoes() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("customers.jsonl", [customerLine("c-1", email: "a@example.com"), customerLine("c-2")])
        // A new gateway whose index loads beside its first batches, as `cleanroom ingest` starts.
        let index = IdentityIndex.loading(from: fixture.store)
        let ingestor = try Ingestor(
            store: fixture.store, keyring: fixture.keyring, policy: fixture.policy, index: index, audit: fixture.audit)
        let path = try fixture.write("more.jsonl", [
            customerLine(nil, email: "A@example.com", phone: "+49 151 23456789"),
            #"{"type":"event","customer_id":"c-2","event":"visit","at":"2026-01-01T00:00:00Z"}"#,
            customerLine("c-3"),
        ])
        let summary = try ingestor.ingest(path: path)
        #expect(summary.accepted == 3 && summary.rejected == 0)
        #expect(summary.subjectsUpdated == 1 && summary.subjectsCreated == 1)
        #expect(try fixture.subjectCount == 3)
        #expect(index.count == 5)
    }

    @Test func anIndexLoadedOnTwoThreadsHoldsWhatOneThreadLoads() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("customers.jsonl", (1...300).map { customerLine("c-\($0)", email: "p\($0)@example.com") })
        // Later rows add identifiers to early people: their rows come after the others in arrival order.
        try fixture.ingest("more.jsonl", (1...20).map { customerLine("c-\($0)", phone: "+49 151 2345\(6000 + $0)") })
        let one = try IdentityIndex.load(from: fixture.store, twoThreadsFrom: .max)
        let two = try IdentityIndex.load(from: fixture.store, twoThreadsFrom: 10)
        #expect(one.count == 620 && two.count == one.count)
        var compared = 0
        try fixture.store.read { transaction in
            try transaction.identifiers.forEachPseudonym { stored in
                #expect(two.subject(for: stored.pseudonym, kind: stored.kind) == one.subject(for: stored.pseudonym, kind: stored.kind))
                compared += 1
            }
        }
        #expect(compared >= 620)
    }

    /// Every reject reason, each with its field; the rejects file holds no value from the input.
    @Test func everyRejectReason() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("seed.jsonl", [
            customerLine("c-1", email: "one@example.com", consent: #"{"analytics":false}"#, at: "2026-01-01T00:00:00Z"),
            customerLine("c-2", email: "two@example.com"),
        ])
        let cases: [(line: String, field: String, reason: String)] = [
            (#"{"customer_id":"c-9"}"#, "type", "missing_type"),
            (#"{"type":"person","customer_id":"c-9"}"#, "type", "unknown_type"),
            (#"{"type":"customer","customer_id":"c-9","shoe":"42"}"#, "shoe", "unknown_field"),
            (#"{"type":"customer","attributes":{"country":"DE"}}"#, "record", "missing_identifier"),
            (#"{"type":"customer","customer_id":7}"#, "customer_id", "wrong_type"),
            (customerLine("c-9", attributes: #"{"shoe_size":"42"}"#), "attributes.shoe_size", "unknown_attribute"),
            (customerLine("c-9", attributes: #"{"age_band":"12-17"}"#), "attributes.age_band", "value_not_allowed"),
            (customerLine("c-9", attributes: #"{"household_size":40}"#), "attributes.household_size", "value_not_allowed"),
            (customerLine("c-9", consent: #"{"telepathy":true}"#, at: "2026-01-01T00:00:00Z"), "consent.telepathy", "unknown_purpose"),
            (customerLine("c-9", consent: #"{"analytics":true}"#), "consent_at", "missing_field"),
            (customerLine("c-9", consent: #"{"analytics":true}"#, at: "yesterday"), "consent_at", "invalid_time"),
            (#"{"type":"event","customer_id":"c-1","event":"teleport","at":"2026-01-01T00:00:00Z"}"#, "event", "unknown_event_type"),
            (#"{"type":"event","customer_id":"c-1","event":"visit"}"#, "at", "missing_field"),
            (#"{"type":"event","customer_id":"c-1","event":"visit","at":"2026-01-01T00:00:00Z","amount":3,"currency":"EUR"}"#, "amount", "field_not_allowed"),
            (#"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-01-01T00:00:00Z","amount":-3,"currency":"EUR"}"#, "amount", "invalid_amount"),
            (#"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-01-01T00:00:00Z","amount":3,"currency":"euro"}"#, "currency", "invalid_currency"),
            (#"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-01-01T00:00:00Z","amount":3}"#, "currency", "missing_field"),
            (#"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-01-01T00:00:00Z","items":[""]}"#, "items", "invalid_item"),
            (#"{"type":"event","customer_id":"c-404","event":"visit","at":"2026-01-01T00:00:00Z"}"#, "record", "unknown_person"),
            (#"{"type":"consent","customer_id":"c-1","purpose":"analytics","at":"2026-01-01T00:00:00Z"}"#, "granted", "missing_field"),
            (customerLine("c-9", email: "secret.person#example.com"), "email", "missing_at"),
            (customerLine("c-9", phone: "+49 30 12"), "phone", "invalid_phone"),
            (customerLine("c-9", device: "00000000-0000-0000-0000-000000000000"), "device_id", "all_zero_device_id"),
            (customerLine("c-9", device: "not-a-device"), "device_id", "invalid_device_id"),
            (customerLine("c-1", email: "two@example.com"), "record", "conflicting_link"),
            (customerLine("c-1", consent: #"{"analytics":true}"#, at: "2026-06-01T00:00:00Z"), "consent.analytics", "consent_not_upgraded"),
            ("{not json", "record", "malformed_json"),
            (#"{"type":"customer","customer_id":"c-9","jane.doe@example.com":"x"}"#, "(a field whose name is not shown)", "unknown_field"),
        ]
        try fixture.ingest("bad.jsonl", cases.map(\.line))
        let rejects = try fixture.rejects("bad.jsonl")
        #expect(rejects.count == cases.count)
        for (index, expected) in cases.enumerated() {
            let reject = rejects.first { $0.line == index + 1 }
            #expect(reject?.reason == expected.reason, "line \(index + 1): \(expected.line)")
            #expect(reject?.field == expected.field, "line \(index + 1)")
        }
        let text = try String(contentsOfFile: fixture.root + "/bad.jsonl.rejects.jsonl", encoding: .utf8)
        for secret in ["secret.person", "+49 30 12", "not-a-device", "two@example.com", "c-404", "jane.doe"] {
            #expect(!text.contains(secret), "the rejects file never holds a value")
        }
    }

    @Test func onePersonAcrossSourcesAndNoSilentMerge() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("web.jsonl", [customerLine("c-1", email: "Jane.Doe@gmail.com", source: "web")])
        let store = try fixture.ingest("store.jsonl", [
            customerLine(nil, email: "janedoe+shop@gmail.com", phone: "+49 151 23456789",
                         attributes: #"{"country":"DE","loyalty_tier":"gold"}"#, source: "store"),
            customerLine(nil, phone: "0151 23456789", device: "{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}", source: "app"),
        ])
        #expect(store.subjectsUpdated == 2 && store.subjectsCreated == 0)
        #expect(try fixture.people() == [[
            "customer_id:c-1", "email:Jane.Doe@gmail.com", "phone:+49 151 23456789",
            "device_id:{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}",
        ]])
        try fixture.ingest("events.jsonl", [
            #"{"type":"event","device_id":"6ba7b8109dad11d180b400c04fd430c8","event":"visit","at":"2026-01-01T00:00:00Z"}"#,
        ])
        #expect(try fixture.eventCount == 1)

        try fixture.ingest("other.jsonl", [customerLine("c-2", email: "other@example.com")])
        let conflict = try fixture.ingest("conflict.jsonl", [customerLine("c-2", email: "jane.doe@gmail.com")])
        #expect(conflict.rejected == 1)
        #expect(try fixture.subjectCount == 2, "two people stay two people")
    }

    @Test func aReplayIsANoOpAndDuplicatesAreStoredOnce() throws {
        let fixture = try IngestFixture()
        let lines = [
            customerLine("c-1", email: "a@example.com"),
            #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-01-01T00:00:00Z","amount":10,"currency":"EUR","items":["b","a"]}"#,
        ]
        let first = try fixture.ingest("a.jsonl", lines, options: Ingestor.Options(batchSize: 1))
        #expect(first.batchesCommitted == 2)
        let replay = try fixture.ingest("a.jsonl", lines, options: Ingestor.Options(batchSize: 1))
        #expect(replay.batchesAlreadyIngested == 2 && replay.accepted == 0 && replay.batchesCommitted == 0)
        // The same event in another file (items in another order): stored once, counted as a duplicate.
        let again = try fixture.ingest("b.jsonl", [
            #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2026-01-01T00:00:00.000Z","amount":10.0,"currency":"EUR","items":["a","b"]}"#,
        ])
        #expect(again.duplicates == 1 && again.accepted == 0)
        #expect(try fixture.eventCount == 1)
        // An idempotency key makes a replay a no-op even when the bytes differ.
        let keyed = Ingestor.Options(idempotencyKey: "upload-7")
        try fixture.ingest("c.jsonl", [customerLine("c-3", email: "c@example.com")], options: keyed)
        let keyedReplay = try fixture.ingest("c.jsonl", [customerLine("c-3", email: "c3@example.com")], options: keyed)
        #expect(keyedReplay.batchesAlreadyIngested == 1)
        #expect(try fixture.subjectCount == 2)
        var actions: [String] = []
        try AuditReader.forEachEntry(in: fixture.root + "/audit") { actions.append($0.record.decision.rule) }
        #expect(actions.filter { $0 == "ingest.already_ingested" }.count == 3)
    }

    @Test func aReplayListsTheRejectsOfTheBatchesItSkipsAndAuditsTheirCounts() throws {
        let fixture = try IngestFixture()
        let lines = [customerLine("c-1", email: "a@example.com"), customerLine("c-2", email: "no-at-sign")]
        try fixture.ingest("a.jsonl", lines)
        let first = try fixture.rejects("a.jsonl")
        let replay = try fixture.ingest("a.jsonl", lines)
        #expect(replay.batchesAlreadyIngested == 1)
        #expect(try fixture.rejects("a.jsonl") == first)
        #expect(first.map(\.reason) == ["missing_at"])
        var requests: [CanonicalJSON] = []
        try AuditReader.forEachEntry(in: fixture.root + "/audit") { requests.append($0.record.request) }
        guard case .object(let committed) = requests[0], case .object(let replayed) = requests[1] else {
            Issue.record("two ingest entries expected")
            return
        }
        #expect(committed["accepted"] == .integer(1) && replayed["accepted"] == .integer(1))
        #expect(replayed["already_ingested"] == .bool(true))
    }

    @Test func erasedPeopleAreDroppedAtIngest() throws {
        let fixture = try IngestFixture()
        let pseudonym = try IdentifierNormalizer().canonicalMatchHash(kind: .email, raw: "Gone.Person@gmail.com")
            .pseudonym(matchKey: fixture.keyring.matchKey)
        _ = try fixture.store.write { try $0.suppression.add(pseudonym, at: Date()) }
        let summary = try fixture.ingest("a.jsonl", [
            customerLine("c-1", email: "goneperson+x@gmail.com"),
            customerLine("c-2", email: "kept@example.com"),
        ])
        #expect(summary.suppressed == 1 && summary.accepted == 1)
        #expect(try fixture.subjectCount == 1)
    }

    @Test func consentOrderingAndNoSilentUpgrade() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("1.jsonl", [customerLine("c-1", consent: #"{"analytics":true}"#, at: "2026-01-01T00:00:00Z")])
        try fixture.ingest("2.jsonl", [
            #"{"type":"consent","customer_id":"c-1","purpose":"analytics","granted":false,"at":"2026-02-01T00:00:00Z","source":"preference-center"}"#,
        ])
        let bulk = try fixture.ingest("3.jsonl", [customerLine("c-1", consent: #"{"analytics":true}"#, at: "2026-03-01T00:00:00Z")])
        #expect(bulk.consentUpgradesRefused == 1 && bulk.accepted == 1)
        #expect(try fixture.consent(ofCustomer: "c-1") == ["analytics=granted", "analytics=withdrawn"])
        let explicit = try fixture.ingest("4.jsonl", [
            #"{"type":"consent","customer_id":"c-1","purpose":"analytics","granted":true,"at":"2026-04-01T00:00:00Z"}"#,
        ])
        #expect(explicit.accepted == 1)
        #expect(try fixture.consent(ofCustomer: "c-1") == ["analytics=granted", "analytics=withdrawn", "analytics=granted"])
    }

    /// A batch writes its new people's attributes and consent many rows per statement, after its rows are applied:
    /// a later row of the same batch about the same person must still find them.
    @Test func aPersonTwiceInOneBatchFindsTheAttributesAndConsentOfTheFirstRow() throws {
        let fixture = try IngestFixture()
        let summary = try fixture.ingest("twice.jsonl", [
            customerLine("c-1", consent: #"{"analytics":false}"#, at: "2026-01-01T00:00:00Z"),
            customerLine("c-2", email: "other@example.com", consent: #"{"analytics":true}"#, at: "2026-01-01T00:00:00Z"),
            #"{"type":"consent","customer_id":"c-2","purpose":"analytics","granted":true,"at":"2026-01-01T00:00:00Z"}"#,
            customerLine(
                "c-1", attributes: #"{"loyalty_tier":"gold"}"#, consent: #"{"analytics":true,"ads_measurement":true}"#,
                at: "2026-02-01T00:00:00Z"),
        ])
        #expect(summary.accepted == 3 && summary.duplicates == 1)
        #expect(summary.subjectsCreated == 2 && summary.consentUpgradesRefused == 1)
        #expect(try fixture.consent(ofCustomer: "c-1") == ["analytics=withdrawn", "ads_measurement=granted"])
        #expect(try fixture.attributes(ofCustomer: "c-1") == ["country=DE", "loyalty_tier=gold"])
        #expect(try fixture.consent(ofCustomer: "c-2") == ["analytics=granted"])
    }

    /// Two rows in a row about a new person: the second updates the attributes the first holds back.
    @Test func aNewPersonsAttributesAreUpdatedByTheNextRowOfTheBatch() throws {
        let fixture = try IngestFixture()
        let summary = try fixture.ingest("update.jsonl", [
            customerLine("c-1", attributes: #"{"country":"DE","loyalty_tier":"silver"}"#),
            customerLine("c-1", attributes: #"{"loyalty_tier":"gold"}"#),
        ])
        #expect(summary.accepted == 2 && summary.subjectsCreated == 1 && summary.rejected == 0)
        #expect(try fixture.attributes(ofCustomer: "c-1") == ["country=DE", "loyalty_tier=gold"])
    }

    /// Forty people with four choices each: their rows cross the statements of 32 rows at different places.
    @Test func manyNewPeopleInOneBatchKeepEveryAttributeAndChoice() throws {
        let fixture = try IngestFixture()
        let consent = #"{"analytics":true,"ads_measurement":false,"ads_personalization":true,"partner_matching":false}"#
        let summary = try fixture.ingest("many.jsonl", (0..<40).map { number in
            customerLine(
                "c-\(number)", email: "person\(number)@example.com",
                attributes: #"{"country":"DE","age_band":"\#(number.isMultiple(of: 2) ? "25-34" : "35-44")"}"#,
                consent: consent, at: "2026-01-01T00:00:00Z")
        })
        #expect(summary.accepted == 40 && summary.subjectsCreated == 40)
        for number in [0, 7, 31, 32, 39] {
            #expect(try fixture.attributes(ofCustomer: "c-\(number)")
                == ["age_band=\(number.isMultiple(of: 2) ? "25-34" : "35-44")", "country=DE"])
            #expect(try fixture.consent(ofCustomer: "c-\(number)") == [
                "ads_measurement=withdrawn", "ads_personalization=granted", "analytics=granted", "partner_matching=withdrawn",
            ])
        }
        #expect(try fixture.people().count == 40)
    }

    @Test func eachBatchIsAuditedWithCountsOnly() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("a.jsonl", (0..<7).map { customerLine("c-\($0)", email: "person\($0)@example.com", phone: "030 123456\($0)") },
                           options: Ingestor.Options(batchSize: 3))
        var entries: [AuditEntry] = []
        try AuditReader.forEachEntry(in: fixture.root + "/audit") { entries.append($0) }
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0.record.action == .ingestBatch })
        let text = entries.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
        #expect(!text.contains("example.com") && !text.contains("123456"))
    }
}

/// Consent given as an IAB TCF v2.2 TC string (strings from iabtcf-java's decoder tests).
struct TCFConsentIngestTests {
    /// Purpose consents 3–9: analytics (TCF 9), ads_measurement (7) and ads_personalization (3, 4) granted.
    static let grantsAll = "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA"
    /// Purpose consents 1, 3, 4, 7: analytics not granted.
    static let noAnalytics = "COvzTO5OvzTO5BRAAAENAPCoALIAADgAAAAAAewAwABAAlAB6ABBFADBQAQA9hAAAcAA"

    @Test func aTCStringSetsEveryMappedPurposeAtItsLastUpdatedTime() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("customers.jsonl", [customerLine("c-1")])
        let summary = try fixture.ingest("consents.jsonl", [
            #"{"type":"consent","customer_id":"c-1","tc_string":"\#(Self.grantsAll)"}"#,
            #"{"type":"consent","customer_id":"c-1","tc_string":"\#(Self.grantsAll)","source":"cmp"}"#,
            #"{"type":"consent","customer_id":"c-1","tc_string":"\#(Self.noAnalytics)"}"#,
        ])
        #expect(summary.accepted == 2)
        #expect(summary.duplicates == 1)
        let ledger = try fixture.consent(ofCustomer: "c-1")
        #expect(ledger.filter { $0.hasPrefix("analytics=") } == ["analytics=granted", "analytics=withdrawn"])
        // The second string, updated at another time, grants these again: one more ledger entry each.
        #expect(ledger.filter { $0.hasPrefix("ads_measurement=") } == ["ads_measurement=granted", "ads_measurement=granted"])
        #expect(
            ledger.filter { $0.hasPrefix("ads_personalization=") }
                == ["ads_personalization=granted", "ads_personalization=granted"])
        // partner_matching maps no TCF purpose: untouched.
        #expect(!ledger.contains { $0.hasPrefix("partner_matching=") })
    }

    @Test func aCustomerRowMayCarryATCStringWhichNeverUpgradesAWithdrawal() throws {
        let fixture = try IngestFixture()
        let row = #"{"type":"customer","customer_id":"c-1","attributes":{"country":"DE"},"tc_string":"\#(Self.noAnalytics)"}"#
        #expect(try fixture.ingest("customers.jsonl", [row]).accepted == 1)
        #expect(try fixture.consent(ofCustomer: "c-1").sorted() == [
            "ads_measurement=granted", "ads_personalization=granted", "analytics=withdrawn",
        ])
        // A later customer row whose string grants analytics does not lift the refusal; the rest is ingested.
        let later = #"{"type":"customer","customer_id":"c-1","attributes":{"country":"FR"},"tc_string":"\#(Self.grantsAll)"}"#
        let summary = try fixture.ingest("more.jsonl", [later])
        #expect(summary.consentUpgradesRefused == 1)
        #expect(try fixture.rejects("more.jsonl").map(\.field) == ["tc_string.analytics"])
        #expect(try fixture.consent(ofCustomer: "c-1").filter { $0.hasPrefix("analytics=") } == ["analytics=withdrawn"])
    }

    @Test func aMalformedTCStringOrAMixedRowIsRejectedWithItsReason() throws {
        let fixture = try IngestFixture()
        try fixture.ingest("customers.jsonl", [customerLine("c-1")])
        let summary = try fixture.ingest("consents.jsonl", [
            #"{"type":"consent","customer_id":"c-1","tc_string":"COrEAV4OrXx94ACABBENAH"}"#,
            #"{"type":"consent","customer_id":"c-1","tc_string":"not a tc string"}"#,
            #"{"type":"consent","customer_id":"c-1","tc_string":"\#(Self.grantsAll)","purpose":"analytics"}"#,
            #"{"type":"consent","customer_id":"c-9","tc_string":"\#(Self.grantsAll)"}"#,
        ])
        #expect(summary.rejected == 4)
        let rejects = try fixture.rejects("consents.jsonl")
        #expect(rejects.map(\.reason) == ["invalid_tc_string", "invalid_tc_string", "conflicting_fields", "unknown_person"])
        #expect(rejects.allSatisfy { !$0.message.contains("COrEAV") && !$0.message.contains("not a tc string") })
        #expect(try fixture.consent(ofCustomer: "c-1").isEmpty)
    }
}

/// Consent choices arrive under the policy's consent signals, which need not be the purposes' names.
struct ConsentSignalIngestTests {
    /// The default policy with both direct-marketing purposes reading one signal, `marketing`.
    static let policy: Policy = {
        let yaml = try! String(contentsOfFile: defaultPolicyPath, encoding: .utf8)
            .replacingOccurrences(of: "    direct_marketing: true\n", with: "    direct_marketing: true\n    consent_signal: marketing\n")
        return try! PolicyLoader.load(yaml: yaml, fileName: "signals.yaml")
    }()

    @Test func aCustomersConsentIsKeyedBySignalAndAPurposeNameThatIsNoSignalIsRejected() throws {
        let fixture = try IngestFixture(policy: Self.policy)
        let summary = try fixture.ingest("customers.jsonl", [
            customerLine("c-1", consent: #"{"marketing":true,"analytics":true}"#, at: "2026-03-01T10:00:00Z"),
            customerLine("c-2", consent: #"{"ads_personalization":true}"#, at: "2026-03-01T10:00:00Z"),
        ])
        #expect(summary.accepted == 1)
        #expect(try fixture.rejects("customers.jsonl").map(\.field) == ["consent.ads_personalization"])
        #expect(try fixture.consent(ofCustomer: "c-1") == ["analytics=granted", "marketing=granted"])
        let consents = try fixture.ingest("consents.jsonl", [
            #"{"type":"consent","customer_id":"c-1","purpose":"marketing","granted":false,"at":"2026-04-01T10:00:00Z"}"#,
        ])
        #expect(consents.accepted == 1)
        #expect(try fixture.consent(ofCustomer: "c-1").last == "marketing=withdrawn")
    }
}

/// Times ahead of the clock: a consent choice dated in the future would beat every earlier withdrawal.
struct FutureTimeIngestTests {
    @Test func timesMoreThanADayAheadAreRejectedAndADayIsAllowed() throws {
        let fixture = try IngestFixture()
        let soon = Date().addingTimeInterval(3_600).formatted(Date.ISO8601FormatStyle())
        let later = Date().addingTimeInterval(3 * 86_400).formatted(Date.ISO8601FormatStyle())
        try fixture.ingest("customers.jsonl", [
            customerLine("c-1", consent: #"{"analytics":true}"#, at: soon),
            customerLine("c-2", consent: #"{"analytics":true}"#, at: later),
        ])
        try fixture.ingest("events.jsonl", [
            #"{"type":"event","customer_id":"c-1","event":"visit","at":"\#(later)"}"#,
            #"{"type":"event","customer_id":"c-1","event":"visit","at":"\#(soon)"}"#,
        ])
        #expect(try fixture.rejects("customers.jsonl").map(\.reason) == ["time_in_future"])
        #expect(try fixture.rejects("events.jsonl").map { "\($0.field):\($0.reason)" } == ["at:time_in_future"])
        #expect(try fixture.eventCount == 1)
    }
}

/// Identifiers of different kinds never join, even when their values are spelled alike.
struct IdentifierKindIngestTests {
    @Test func aCustomerIdSpelledLikeAnotherPersonsDeviceIdIsAnotherPerson() throws {
        let fixture = try IngestFixture()
        let uuid = "6f9619ff-8b86-4011-b42d-00cf4fc964ff"
        let summary = try fixture.ingest("customers.jsonl", [
            customerLine(uuid),
            customerLine("b-1", device: uuid.uppercased()),
        ])
        #expect(summary.subjectsCreated == 2)
        #expect(summary.rejected == 0)
        #expect(try fixture.subjectCount == 2)
    }
}
