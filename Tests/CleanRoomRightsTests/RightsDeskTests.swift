import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
@testable import CleanRoomRights
import CleanRoomStore
import Foundation
import Testing

/// A home with keys, the default policy, a store and an audit log, holding `people` customers who consented to
/// analytics: customer `c-i` has e-mail `person.i@example.org`, phone `+49 30 1234 5i` (i < 100), device id
/// `00000000-0000-4000-8000-0000000000ii`.
final class RightsFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rights-\(UUID().uuidString)").path
    let keyring: Keyring
    var store: Store
    var index: IdentityIndex
    let audit: AuditLog
    let clock = TestClock()
    let consentAt: String

    init(people: Int, consentAt: String = "2026-03-01T10:00:00Z") throws {
        self.consentAt = consentAt
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        try Keyring.create(in: self.root + "/keys")
        self.keyring = try Keyring.open(in: self.root + "/keys")
        self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
        self.audit = try AuditLog.open(
            directory: self.root + "/audit", signingKey: self.keyring.auditSigningKey,
            options: AuditLog.Options(origin: "cleanroom/audit")
        ).log
        self.index = IdentityIndex()
        try self.ingest(people: people)
    }

    deinit {
        try? self.store.close()
        try? FileManager.default.removeItem(atPath: self.root)
    }

    static func email(_ person: Int) -> String { "Person.\(person)@Example.org" }
    static func phone(_ person: Int) -> String { "+49 30 1234 5\(String(format: "%02d", person))" }
    static func device(_ person: Int) -> String { "00000000-0000-4000-8000-0000000000\(String(format: "%02d", person))" }

    /// Ingests the customers file again (a replay is a no-op; after an erasure the person is suppressed).
    @discardableResult
    func ingest(people: Int, name: String = "customers.jsonl") throws -> IngestSummary {
        let lines = (0..<people).map { person in
            #"{"type":"customer","customer_id":"c-\#(person)","email":"\#(Self.email(person))","#
                + #""phone":"\#(Self.phone(person))","device_id":"\#(Self.device(person))","#
                + #""attributes":{"country":"DE","age_band":"25-34"},"consent":{"analytics":true},"#
                + #""consent_at":"\#(self.consentAt)"}"#
        }
        return try self.ingest(lines, name: name, with: self.ingestor())
    }

    func ingestor() throws -> Ingestor {
        try Ingestor(store: self.store, keyring: self.keyring, policy: defaultPolicy, index: self.index, audit: self.audit)
    }

    /// Writes `lines` to a file named `name` and ingests it with `ingestor`.
    @discardableResult
    func ingest(_ lines: [String], name: String, with ingestor: Ingestor) throws -> IngestSummary {
        let path = self.root + "/" + name
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return try ingestor.ingest(path: path)
    }

    func desk() throws -> RightsDesk {
        let clock = self.clock
        return try RightsDesk(
            store: self.store, keyring: self.keyring, policy: defaultPolicy, index: self.index, audit: self.audit,
            now: { clock.now })
    }

    /// How many people may be used for `purpose` now: what the next query would count.
    func count(_ purpose: String) throws -> Int {
        let binding = PurposeBinding(policy: defaultPolicy)
        let time = self.clock.now
        return try self.store.read { transaction in
            var ledgers: [SubjectID: [StoredConsent]] = [:]
            try transaction.consent.forEach { ledgers[$0.subject, default: []].append($0) }
            var subjects: [SubjectID] = []
            try transaction.dataKeys.forEach { subjects.append($0.subject) }
            return try subjects.filter { try binding.decide(purpose, at: time, ledger: ledgers[$0] ?? []).allowed }.count
        }
    }

    /// Closes and reopens the store and rebuilds the index, as a restart does.
    func restart() throws {
        try self.store.close()
        self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
        self.index = try IdentityIndex.load(from: self.store)
    }

    /// Every byte the home's files hold (database, its log, audit segments).
    func allFileBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        let files = FileManager.default.enumerator(atPath: self.root)?.compactMap { $0 as? String } ?? []
        for file in files where !file.hasSuffix(".jsonl") || file.hasPrefix("audit") {
            if let data = FileManager.default.contents(atPath: self.root + "/" + file) { bytes += data }
        }
        return bytes
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    var now = Date(timeIntervalSince1970: 1_790_000_000)
}

extension [UInt8] {
    func contains(_ needle: [UInt8]) -> Bool {
        guard needle.count <= self.count else { return false }
        return (0...(self.count - needle.count)).contains { self[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

struct RightsDeskTests {
    static let kinds: [(IdentifierKind, @Sendable (Int) -> String)] = [
        (.email, RightsFixture.email), (.phone, RightsFixture.phone), (.deviceID, RightsFixture.device),
        (.customerID, { "c-\($0)" }),
    ]

    @Test func aWithdrawalByAnyIdentifierExcludesExactlyThosePeopleFromTheNextCount() throws {
        let fixture = try RightsFixture(people: 12)
        #expect(try fixture.count("analytics") == 12)
        let desk = try fixture.desk()
        for (person, (kind, value)) in Self.kinds.enumerated() {
            // Spelled differently from the ingested value: normalized the same way.
            let spelled = kind == .email ? value(person).uppercased() : value(person)
            let outcome = try desk.withdraw(PersonIdentifier(kind: kind, value: spelled), purposes: ["analytics"])
            #expect(outcome.outcome == "withdrawn")
            #expect(outcome.purposes == ["analytics"])
            #expect(try fixture.count("analytics") == 12 - person - 1)
        }
        // Other purposes are untouched; LI purposes still hold.
        #expect(try fixture.count("fraud_prevention") == 12)
    }

    @Test func anObjectionToALegitimateInterestPurposeExcludesThePerson() throws {
        let fixture = try RightsFixture(people: 3)
        let outcome = try fixture.desk().object(PersonIdentifier(kind: .email, value: RightsFixture.email(1)), purposes: ["fraud_prevention"])
        #expect(outcome.outcome == "objected")
        #expect(try fixture.count("fraud_prevention") == 2)
        #expect(try fixture.count("service_quality") == 3)
    }

    @Test func withdrawingEverythingLeavesThePersonInNoPurpose() throws {
        let fixture = try RightsFixture(people: 2)
        #expect(try fixture.count("analytics") == 2)
        #expect(try fixture.count("fraud_prevention") == 2)
        let outcome = try fixture.desk().withdraw(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: nil)
        // Every purpose resting on consent; legitimate-interest purposes are objected to, not withdrawn.
        #expect(outcome.purposes == defaultPolicy.purposes.filter { $0.lawfulBasis == .consent }.map(\.name).sorted())
        let counts = try defaultPolicy.purposes.map { try fixture.count($0.name) }
        let expected = defaultPolicy.purposes.map { purpose in
            switch (purpose.lawfulBasis, purpose.name) {
            case (.legitimateInterest, _): 2
            case (.consent, "analytics"): 1  // the other person's consent
            default: 0  // nobody consented to the others
            }
        }
        #expect(counts == expected)
        // A withdrawal naming a legitimate-interest purpose is refused, with what to do instead.
        let error = #expect(throws: RightsError.self) {
            try fixture.desk().withdraw(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: ["fraud_prevention"])
        }
        #expect(error?.code == .notConsentBased)
        let all = try fixture.desk().object(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: nil)
        #expect(all.purposes == defaultPolicy.purposes.map(\.name).sorted())
        #expect(try fixture.count("fraud_prevention") == 1)
    }

    @Test func anUnknownPurposeOrABadIdentifierIsRefusedAndNothingRecorded() throws {
        let fixture = try RightsFixture(people: 1)
        let desk = try fixture.desk()
        let purpose = #expect(throws: RightsError.self) {
            try desk.withdraw(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: ["profiling"])
        }
        #expect(purpose?.code == .unknownPurpose)
        let identifier = #expect(throws: RightsError.self) {
            try desk.erase(PersonIdentifier(kind: .email, value: "not an address"))
        }
        #expect(identifier?.code == .invalidIdentifier)
        #expect(identifier?.message.contains("not an address") == false)
        #expect(try desk.requests().isEmpty)
        #expect(try fixture.count("analytics") == 1)
    }

    @Test(arguments: 0..<4)
    func erasureByAnyIdentifierRemovesThePersonForGood(kindIndex: Int) throws {
        let fixture = try RightsFixture(people: 5)
        let (kind, value) = Self.kinds[kindIndex]
        let person = PersonIdentifier(kind: kind, value: value(2))
        let emailBytes = Array(RightsFixture.email(2).utf8)
        let subject = try #require(fixture.index.subject(
            for: IdentifierNormalizer().canonicalMatchHash(kind: .customerID, raw: "c-2").pseudonym(matchKey: fixture.keyring.matchKey),
            kind: .customerID))
        let wrappedKey = try #require(try fixture.store.read { try $0.dataKeys.key(for: subject) }).wrapped
        let sealed = try fixture.store.read { try $0.identifiers.identifiers(of: subject) }.map(\.sealed)
        let keyHeld = try fixture.allFileBytes().contains(wrappedKey)
        let sealedHeld = try sealed.allSatisfy(fixture.allFileBytes().contains)
        #expect(keyHeld && sealedHeld, "the wrapped key and sealed identifiers are in the files before the erasure")
        let outcome = try fixture.desk().erase(person)
        #expect(outcome.outcome == "erased")
        // At once, before any restart: neither the wrapped data key nor a raw identifier is in the files
        // (database, its write-ahead log, audit segments).
        let files = try fixture.allFileBytes()
        let keyLeft = files.contains(wrappedKey), sealedLeft = sealed.contains(where: files.contains)
        let emailLeft = files.contains(emailBytes) || files.contains(Array(RightsFixture.email(2).lowercased().utf8))
        #expect(!keyLeft, "the erased person's wrapped data key is still in the files")
        #expect(!sealedLeft, "a sealed identifier of the erased person is still in the files")
        #expect(!emailLeft, "a raw identifier is in the files")
        #expect(try fixture.store.read { try $0.subjects.count() } == 4)
        #expect(try fixture.count("analytics") == 4)

        // A second erasure says so and changes nothing; so does one after a restart.
        #expect(try fixture.desk().erase(person).outcome == "already_erased")
        try fixture.restart()
        #expect(try fixture.desk().erase(person).outcome == "already_erased")
        #expect(try fixture.desk().access(person).0.outcome == "no_data_held")

        // Re-ingesting the same file is a replay (its batch was committed); a file with the same people and one
        // more is new content: the erased person is dropped as suppressed, the new one created.
        #expect(try fixture.ingest(people: 5, name: "again.jsonl").batchesAlreadyIngested == 1)
        let summary = try fixture.ingest(people: 6, name: "more.jsonl")
        #expect(summary.suppressed == 1)
        #expect(summary.subjectsCreated == 1)
        #expect(try fixture.store.read { try $0.subjects.count() } == 5)
        #expect(try fixture.count("analytics") == 5)
        let keyAfterRestart = try fixture.allFileBytes().contains(wrappedKey)
        #expect(!keyAfterRestart)
    }

    @Test func accessExportsEverythingHeldAndTheAuditEntryHoldsOnlyItsDigest() throws {
        let fixture = try RightsFixture(people: 2)
        let desk = try fixture.desk()
        _ = try desk.withdraw(PersonIdentifier(kind: .customerID, value: "c-1"), purposes: ["analytics"])
        // Two released computations: one over both people, one over the other person only.
        let subjects = try ["c-0", "c-1"].map { id in
            try #require(fixture.index.subject(
                for: IdentifierNormalizer().canonicalMatchHash(kind: .customerID, raw: id).pseudonym(matchKey: fixture.keyring.matchKey),
            kind: .customerID))
        }
        try fixture.store.write { transaction in
            for (sequence, members) in [(41, CohortMembers(subjects)), (42, CohortMembers([subjects[0]]))] {
                try transaction.cohortReleases.record(
                    auditSequence: sequence, members: members, digest: SHA256.hash(members.encoded))
            }
        }
        let (outcome, export) = try desk.access(PersonIdentifier(kind: .phone, value: "030 1234501"))
        #expect(outcome.outcome == "exported")
        let bytes = try #require(export)
        #expect(bytes.last == UInt8(ascii: "\n"))
        let json = try CanonicalJSON.parse(bytes.dropLast())
        guard case .object(let object) = json, case .array(let identifiers)? = object["identifiers"],
            case .array(let consent)? = object["consent_history"], case .array(let purposes)? = object["purposes_now"],
            case .array(let attributes)? = object["attributes"], case .array(let requests)? = object["rights_requests"],
            case .array(let computations)? = object["computations"]
        else {
            Issue.record("the export is not the expected object")
            return
        }
        let values = identifiers.compactMap { entry -> String? in
            guard case .object(let fields) = entry, case .string(let value)? = fields["value"] else { return nil }
            return value
        }
        #expect(Set(values) == ["c-1", RightsFixture.email(1), RightsFixture.phone(1), RightsFixture.device(1)])
        #expect(attributes.count == 2)
        #expect(consent.count == 2)  // granted at ingest, withdrawn by the request
        #expect(!purposes.contains(.string("analytics")))
        #expect(purposes.contains(.string("fraud_prevention")))
        #expect(requests.count == 2)
        #expect(computations == [.integer(41)])
        // Art. 15(1)(a)–(h): purposes with their basis, recipients, retention, sources.
        guard case .object(let processing)? = object["processing"], case .array(let recipients)? = processing["recipients"],
            case .array(let retention)? = processing["retention"], case .array(let declared)? = processing["purposes"]
        else {
            Issue.record("the export has no processing section")
            return
        }
        #expect(recipients == [.string("Alpina Outdoor AG"), .string("Daily News Media Group")])
        #expect(retention.count == defaultPolicy.schema.categories.count)
        #expect(declared.count == defaultPolicy.purposes.count)
        #expect(processing["sources"] == .array([.string("rights_request")]))
        // The audit log names the request and the export's digest, never an identifier.
        let files = try fixture.allFileBytes()
        let emailInFiles = files.contains(Array(RightsFixture.email(1).utf8))
            || files.contains(Array(RightsFixture.email(1).lowercased().utf8))
        let customerIDInFiles = files.contains(Array("\"c-1\"".utf8))
        #expect(!emailInFiles && !customerIDInFiles, "an identifier reached the audit log or the database")
    }

    @Test func everyRequestIsRecordedWithItsDeadlineAndListed() throws {
        let fixture = try RightsFixture(people: 2)
        let desk = try fixture.desk()
        let received = fixture.clock.now
        _ = try desk.withdraw(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: ["analytics"])
        let unknown = try desk.erase(PersonIdentifier(kind: .email, value: "nobody@example.org"))
        #expect(unknown.outcome == "no_data_held")
        let requests = try desk.requests()
        #expect(requests.map(\.kind) == [.withdrawal, .erasure])
        #expect(requests.map(\.outcome) == ["withdrawn", "no_data_held"])
        for request in requests {
            #expect(request.receivedAt == received)
            #expect(request.completedAt == received)
            #expect(request.deadline == defaultPolicy.rights.deadline.added(to: received))
        }
        #expect(try desk.requests(openOnly: true).isEmpty)
        #expect(requests[1].subject == nil)
    }

    @Test func aTCStringSavedAfterAWithdrawalDoesNotRestoreConsent() throws {
        // Consent given in 2015, withdrawn through the owner a day before a consent tool saves a string granting
        // analytics (TCF 9) again: the string is newer, and still does not lift the withdrawal.
        let fixture = try RightsFixture(people: 1, consentAt: "2015-01-01T00:00:00Z")
        let tcString = "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA"
        let saved = try TCString(decoding: tcString).lastUpdated
        fixture.clock.now = saved - 86_400
        _ = try fixture.desk().withdraw(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: ["analytics"])
        fixture.clock.now = saved + 86_400
        let summary = try fixture.ingest(
            [#"{"type":"consent","customer_id":"c-0","tc_string":"\#(tcString)"}"#], name: "tcf.jsonl",
            with: fixture.ingestor())
        #expect(summary.consentUpgradesRefused == 1)
        #expect(try fixture.count("analytics") == 0)
        #expect(try fixture.count("ads_measurement") == 1)
    }

    @Test func anIngestorOpenedBeforeAnErasureDropsThePersonAfterIt() throws {
        let fixture = try RightsFixture(people: 2)
        let ingestor = try fixture.ingestor()
        _ = try fixture.desk().erase(PersonIdentifier(kind: .customerID, value: "c-1"))
        let line = #"{"type":"customer","customer_id":"c-1","attributes":{"country":"DE"}}"#
        let summary = try fixture.ingest([line], name: "again.jsonl", with: ingestor)
        #expect(summary.suppressed == 1)
        #expect(summary.subjectsCreated == 0)
        #expect(try fixture.store.read { try $0.subjects.count() } == 1)
    }

    @Test func whenTheAuditEntryCannotBeWrittenNothingIsErasedOrRecorded() throws {
        let fixture = try RightsFixture(people: 1)
        let desk = try fixture.desk()
        try fixture.audit.close()
        #expect(throws: (any Error).self) { try desk.erase(PersonIdentifier(kind: .customerID, value: "c-0")) }
        #expect(throws: (any Error).self) {
            try desk.withdraw(PersonIdentifier(kind: .customerID, value: "c-0"), purposes: ["analytics"])
        }
        #expect(try fixture.store.read { try $0.subjects.count() } == 1)
        #expect(try desk.requests().isEmpty)
        #expect(try fixture.count("analytics") == 1)
    }
}

/// A phone number written without its country code is read in the country the request names, as at ingest.
struct RightsDeskRegionTests {
    @Test func aNationalNumberIsFoundInTheCountryGiven() throws {
        let fixture = try RightsFixture(people: 0)
        let line = #"{"type":"customer","customer_id":"fr-1","phone":"06 12 34 56 78","attributes":{"country":"FR"}}"#
        try fixture.ingest([line], name: "fr.jsonl", with: fixture.ingestor())
        let desk = try fixture.desk()
        // Read in the policy's default region (DE), the number is someone else's: nobody held.
        #expect(try desk.access(PersonIdentifier(kind: .phone, value: "06 12 34 56 78")).0.outcome == "no_data_held")
        #expect(try desk.erase(PersonIdentifier(kind: .phone, value: "06 12 34 56 78", region: "FR")).outcome == "erased")
        #expect(try fixture.store.read { try $0.subjects.count() } == 0)
    }

    /// Crypto-shredding reaches backups: a copy of the database taken before an erasure, opened afterwards with the
    /// home's key vault, holds the person's sealed identifiers but no key to open them.
    @Test func aDatabaseBackupTakenBeforeAnErasureCannotOpenThePersonAfterIt() throws {
        let fixture = try RightsFixture(people: 2)
        let subject = try #require(fixture.index.subject(
            for: IdentifierNormalizer().canonicalMatchHash(kind: .customerID, raw: "c-1").pseudonym(matchKey: fixture.keyring.matchKey),
            kind: .customerID))
        try fixture.store.checkpoint()
        let backup = fixture.root + "/backup.sqlite"
        try FileManager.default.copyItem(atPath: fixture.root + "/cleanroom.sqlite", toPath: backup)
        #expect(try fixture.desk().erase(PersonIdentifier(kind: .customerID, value: "c-1")).outcome == "erased")
        try fixture.store.close()

        // The backup, restored, with the vault as it is now.
        let restored = try Store.open(path: backup, options: Store.Options(keyVaultPath: fixture.root + "/cleanroom.sqlite.keys"))
        defer { try? restored.close() }
        try restored.read { transaction throws in
            #expect(try !transaction.identifiers.identifiers(of: subject).isEmpty, "the backup holds the sealed values")
            #expect(try transaction.dataKeys.key(for: subject) == nil, "but no key to open them")
        }
        fixture.store = try Store.open(path: fixture.root + "/cleanroom.sqlite")
    }
}
