@testable import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
import CleanRoomRights
import CleanRoomStore
import Foundation

/// A real home for audience tests: keys, the policy with k = 5, an audit log, a store filled through the ingest
/// gateway, a cohort engine, an analyst and an audience book, all following the store.
final class AudienceHome {
    static let advertiser = "alpina-outdoor"
    static let publisher = "dailynews-media"
    static let owner = "nordwind-analytics"

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("audiences-\(UUID().uuidString)").path
    let policy = testPolicy(k: 5)
    let keyring: Keyring
    let store: Store
    let identities = IdentityIndex()
    let audit: AuditLog
    let analyst: Analyst
    let book: AudienceBook
    private var files = 0

    init() throws {
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        try Keyring.create(in: self.root + "/keys")
        self.keyring = try Keyring.open(in: self.root + "/keys")
        self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
        self.audit = try AuditLog.open(
            directory: self.root + "/audit", signingKey: self.keyring.auditSigningKey,
            options: AuditLog.Options(origin: "cleanroom/audit")
        ).log
        let engine = try CohortEngine(store: self.store, policy: self.policy)
        self.analyst = Analyst(
            engine: engine, store: self.store, policy: self.policy, segments: SegmentCatalog(), audit: self.audit)
        self.book = try AudienceBook(store: self.store, keyring: self.keyring, policy: self.policy, audit: self.audit)
    }

    deinit {
        try? self.store.close()
        try? FileManager.default.removeItem(atPath: self.root)
    }

    /// Ingests JSON Lines through the gateway.
    func ingest(_ lines: [String]) throws {
        self.files += 1
        let path = self.root + "/input-\(self.files).jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        _ = try Ingestor(store: self.store, keyring: self.keyring, policy: self.policy, index: self.identities,
                         audit: self.audit).ingest(path: path)
    }

    /// Customers `numbers` (see ``Customer``) in `country`, consenting to partner matching.
    @discardableResult
    func customers(_ numbers: ClosedRange<Int>, country: String = "DE") throws -> [Customer] {
        let customers = numbers.map(Customer.init)
        try self.ingest(customers.map { customer in
            #"{"type":"customer","email":"\#(customer.email)","phone":"\#(customer.phone)","#
                + #""attributes":{"country":"\#(country)"},"consent":{"partner_matching":true},"#
                + #""consent_at":"2026-01-01T00:00:00Z"}"#
        })
        return customers
    }

    /// Uploads `hashes`, one per line in hex, as `partner`; returns the audience's id.
    func upload(_ hashes: [MatchHash], as partner: String = AudienceHome.advertiser, at time: Date = Date())
        throws -> String
    {
        try self.book.upload(Data(hashes.map(\.hex).joined(separator: "\n").utf8), as: partner, at: time).id
    }

    /// The overlap of audience `id` for `partner`, as a count of people unless `query` says otherwise.
    func overlap(
        _ id: String, as partner: String = AudienceHome.advertiser, query: Query = Query(purpose: "partner_matching"),
        at time: Date = Date()
    ) throws(AnalyticsError) -> QueryAnswer {
        try self.analyst.overlap(audience: id, in: self.book, query: query, as: partner, at: time)
    }

    /// The match index's lookup keys of `hashes`' pseudonyms, ascending.
    func lookupKeys(_ hashes: some Sequence<MatchHash>) -> [UInt64] {
        let matchKey = HMACSHA256.Authenticator(key: self.keyring.matchKey)
        return hashes.map { PseudonymTable.key($0.pseudonym(using: matchKey).bytes) }.sorted()
    }

    func desk() throws -> RightsDesk {
        try RightsDesk(
            store: self.store, keyring: self.keyring, policy: self.policy, index: self.identities, audit: self.audit)
    }

    /// The audit entries written so far.
    func auditEntries() throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        try AuditReader.forEachEntry(in: self.root + "/audit") { entries.append($0) }
        return entries
    }
}

/// Customer number `n` of the owner: a gmail address with dots and a `+tag`, so that every e-mail profile gives
/// another hash, and a German mobile number.
struct Customer {
    let number: Int

    init(_ number: Int) {
        self.number = number
    }

    var email: String { "Anna.Berg\(self.number)+shop@gmail.com" }
    var phone: String { "+49 1512 34567\(String(format: "%02d", self.number))" }

    /// The normalized e-mail or phone a partner hashes, prepared the way each platform wants it (DESIGN.md section 4).
    func normalized(_ form: PartnerForm) -> String {
        switch form {
        case .basic: "anna.berg\(self.number)+shop@gmail.com"
        case .google, .uid2: "annaberg\(self.number)@gmail.com"
        case .gmailDots: "annaberg\(self.number)+shop@gmail.com"
        case .e164: "+49151234567\(String(format: "%02d", self.number))"
        case .digits: "49151234567\(String(format: "%02d", self.number))"
        }
    }

    /// The partner's match hash of this customer prepared as `form`.
    func hash(_ form: PartnerForm = .basic) -> MatchHash {
        MatchHash(normalized: self.normalized(form))
    }
}

/// How a partner prepared its identifiers: an e-mail profile or a phone form.
enum PartnerForm: String, CaseIterable, Sendable {
    case basic, google, gmailDots = "gmail_dots", uid2, e164, digits
}

/// A random match hash no customer has.
func decoyHash() -> MatchHash {
    MatchHash(normalized: "decoy-\(UUID().uuidString)@example.com")
}
