import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation

/// The project's `policies/` folder.
let policiesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("policies")

/// The shipped policy with a small k (5) and contribution cap (100), so that tests need only a few people.
/// `exempt` lists the principals the differencing guard does not apply to.
func testPolicy(k: Int = 5, exempt: [String] = []) -> Policy {
    var text = try! String(contentsOf: policiesFolder.appendingPathComponent("default.yaml"), encoding: .utf8)
    text = text.replacingOccurrences(of: "  k: 50\n", with: "  k: \(k)\n")
    text = text.replacingOccurrences(of: "contribution_cap: 1000", with: "contribution_cap: 100")
    text = text.replacingOccurrences(
        of: "differencing_guard_exempt: []", with: "differencing_guard_exempt: [\(exempt.joined(separator: ", "))]")
    return try! PolicyLoader.load(yaml: text, fileName: "test.yaml")
}

/// A store, audit log, cohort engine and analyst in a temporary folder, with helpers to add people.
final class AnalyticsFixture {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let day: TimeInterval = 86_400

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("analytics-\(UUID().uuidString)").path
    let policy: Policy
    let store: Store
    let audit: AuditLog
    let segments: SegmentCatalog
    private var nextKey: UInt32 = 0

    init(policy: Policy = testPolicy()) throws {
        self.policy = policy
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
        self.audit = try AuditLog.open(
            directory: self.root + "/audit", signingKey: try Ed25519PrivateKey.generate(),
            options: AuditLog.Options(origin: "cleanroom/audit")
        ).log
        self.segments = try SegmentCatalog.load(
            path: policiesFolder.appendingPathComponent("segments.yaml").path, policy: policy)
    }

    deinit {
        try? self.store.close()
        try? FileManager.default.removeItem(atPath: self.root)
    }

    /// A purchase `daysAgo` days before ``now``.
    struct Purchase {
        var daysAgo: Double
        var amount: Double
        var items: [String] = []
        var type = "purchase"
    }

    /// Adds a person with attributes, consents (granted unless listed as `false`) and purchases.
    @discardableResult
    func person(
        _ attributes: [String: String] = [:], consents: [String: Bool] = [:], purchases: [Purchase] = [],
        createdDaysAgo: Double = 10, attributesSetDaysAgo: Double = 10
    ) throws -> SubjectID {
        let now = Self.now
        let purposes = ["analytics", "ads_measurement", "ads_personalization", "partner_matching"]
        var keys: [[UInt8]] = []
        for _ in purchases {
            self.nextKey += 1
            keys.append(withUnsafeBytes(of: self.nextKey.bigEndian, Array.init))
        }
        return try self.store.write { transaction in
            let subject = try transaction.subjects.create(at: now - createdDaysAgo * Self.day)
            try transaction.attributes.upsert(
                attributes.map {
                    StoredAttribute(subject: subject, name: $0.key, value: $0.value,
                                    updatedAt: now - attributesSetDaysAgo * Self.day)
                }, of: subject)
            for purpose in purposes {
                try transaction.consent.append(StoredConsent(
                    subject: subject, purpose: purpose, signal: consents[purpose] == false ? .withdrawn : .granted,
                    occurredAt: now - createdDaysAgo * Self.day, recordedAt: now - createdDaysAgo * Self.day,
                    source: "test"))
            }
            for (purchase, key) in zip(purchases, keys) {
                _ = try transaction.events.insertIfAbsent(StoredEvent(
                    subject: subject, type: purchase.type, occurredAt: now - purchase.daysAgo * Self.day,
                    amount: purchase.type == "purchase" ? purchase.amount : nil,
                    currency: purchase.type == "purchase" ? "EUR" : nil, items: purchase.items, key: key))
            }
            return subject
        }
    }

    /// Adds `count` people with the same attributes and purchases.
    @discardableResult
    func people(
        _ count: Int, _ attributes: [String: String] = [:], purchases: [Purchase] = [], consents: [String: Bool] = [:]
    ) throws -> [SubjectID] {
        try (0..<count).map { _ in try self.person(attributes, consents: consents, purchases: purchases) }
    }

    /// Withdraws `purpose` for `subject` now.
    func withdraw(_ subject: SubjectID, _ purpose: String) throws {
        try self.store.write { transaction in
            try transaction.consent.append(StoredConsent(
                subject: subject, purpose: purpose, signal: .withdrawn, occurredAt: Self.now - 1, recordedAt: Self.now,
                source: "test"))
        }
    }

    /// Erases `subject` (their rows; the rights desk also shreds keys and suppresses pseudonyms).
    func erase(_ subject: SubjectID) throws {
        _ = try self.store.write { try $0.subjects.delete(subject) }
    }

    /// The audit entries written so far.
    func auditEntries() throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        try AuditReader.forEachEntry(in: self.root + "/audit") { entries.append($0) }
        return entries
    }

    /// A cohort engine over the store, loaded now.
    func engine() throws -> CohortEngine {
        try CohortEngine(store: self.store, policy: self.policy, at: Self.now)
    }

    /// An analyst over a fresh engine.
    func analyst() throws -> Analyst {
        Analyst(engine: try self.engine(), store: self.store, policy: self.policy, segments: self.segments, audit: self.audit)
    }
}

extension Analyst {
    /// Runs `query` as `principal` at the fixture's time.
    func run(_ query: Query, as principal: String) throws(AnalyticsError) -> QueryAnswer {
        try self.run(query, as: principal, at: AnalyticsFixture.now)
    }
}

extension QueryAnswer {
    /// The released value of `metric` in the cell labelled `labels`; `nil` when suppressed or absent.
    func value(_ metric: Policy.Metric = .people, _ labels: String?...) -> Double? {
        self.cells.first { $0.labels == labels }.flatMap { $0.isSuppressed ? nil : $0.values[metric] }
    }

    /// Whether the cell labelled `labels` is listed and suppressed.
    func isSuppressed(_ labels: String?...) -> Bool {
        self.cells.first { $0.labels == labels }?.isSuppressed == true
    }
}
