import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
import CleanRoomServer
import CleanRoomStore
import Foundation
import Hummingbird
import HummingbirdTesting

/// A home (keys, the shipped policy with k = 5, a store of 30 consenting customers in DE and FR, an audit log),
/// the service over it, and a token for each of the policy's principals.
final class ServiceFixture: @unchecked Sendable {
    static let principals: [(name: String, role: Policy.Role)] = [
        ("nordwind-analytics", .owner), ("alpina-outdoor", .partner), ("dpo", .auditor), ("ops-admin", .admin),
    ]

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID().uuidString)").path
    let policy: Policy
    let keyring: Keyring
    let store: Store
    let audit: AuditLog
    let service: CleanRoomService
    private(set) var tokens: [Policy.Role: String] = [:]

    init(
        failedAuthenticationLimit: Int = 10, exemptOwner: Bool = false, queriesPerMinute: Int = 120,
        requestBodyBytes: Int = 67_108_864, requestTimeoutSeconds: Int = 30
    ) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policies")
        var text = try String(contentsOf: folder.appendingPathComponent("default.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "  k: 50\n", with: "  k: 5\n")
        text = text.replacingOccurrences(
            of: "queries_per_minute: 120", with: "queries_per_minute: \(queriesPerMinute)")
        text = text.replacingOccurrences(
            of: "request_body_bytes: 67108864", with: "request_body_bytes: \(requestBodyBytes)")
        text = text.replacingOccurrences(
            of: "request_timeout_seconds: 30", with: "request_timeout_seconds: \(requestTimeoutSeconds)")
        if exemptOwner {
            text = text.replacingOccurrences(
                of: "differencing_guard_exempt: []", with: "differencing_guard_exempt: [nordwind-analytics]")
        }
        self.policy = try PolicyLoader.load(yaml: text, fileName: "test.yaml")
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        try Keyring.create(in: self.root + "/keys")
        self.keyring = try Keyring.open(in: self.root + "/keys")
        self.store = try Store.open(path: self.root + "/cleanroom.sqlite")
        self.audit = try AuditLog.open(
            directory: self.root + "/audit", signingKey: self.keyring.auditSigningKey,
            options: AuditLog.Options(origin: "cleanroom/audit")
        ).log
        let lines = (1...30).map { person in
            #"{"type":"customer","customer_id":"c-\#(person)","attributes":{"country":"\#(person <= 20 ? "DE" : "FR")"},"#
                + #""consent":{"analytics":true,"ads_measurement":true},"consent_at":"2026-01-01T00:00:00Z"}"#
        }
        let file = self.root + "/customers.jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let identities = IdentityIndex()
        _ = try Ingestor(store: self.store, keyring: self.keyring, policy: self.policy, index: identities,
                         audit: self.audit).ingest(path: file)
        let segments = try SegmentCatalog.load(path: folder.appendingPathComponent("segments.yaml").path, policy: self.policy)
        let tokens = try PrincipalTokens(store: self.store, policy: self.policy)
        for (name, role) in Self.principals {
            self.tokens[role] = try tokens.issue(for: name, role: role)
        }
        self.service = try CleanRoomService(
            store: self.store, policy: self.policy, segments: segments, keyring: self.keyring, audit: self.audit,
            auditDirectory: self.root + "/audit", auditOrigin: "cleanroom/audit",
            engine: try CohortEngine(store: self.store, policy: self.policy), identities: identities, tokens: tokens,
            failedAuthenticationLimit: failedAuthenticationLimit)
    }

    deinit {
        try? self.store.close()
        try? FileManager.default.removeItem(atPath: self.root)
    }

    /// Ingests `count` more customers with e-mails `buyer.N@example.org`, consenting to partner matching.
    func ingestEmails(count: Int) throws {
        try self.ingestEmails((1...count).map { "buyer.\($0)@example.org" })
    }

    /// Ingests one more customer in DE for each of `emails`, consenting to partner matching.
    func ingestEmails(_ emails: [String]) throws {
        let lines = emails.map { email in
            #"{"type":"customer","customer_id":"m-\#(email)","email":"\#(email)","#
                + #""attributes":{"country":"DE"},"consent":{"partner_matching":true},"#
                + #""consent_at":"2026-01-01T00:00:00Z"}"#
        }
        let file = self.root + "/emails-\(UUID().uuidString).jsonl"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        _ = try Ingestor(store: self.store, keyring: self.keyring, policy: self.policy,
                         index: try IdentityIndex.load(from: self.store), audit: self.audit).ingest(path: file)
    }

    /// The hex match hash a partner uploads for `buyer.N@example.org`.
    static func emailHash(_ person: Int) -> String {
        MatchHash(normalized: "buyer.\(person)@example.org").hex
    }

    /// Runs `body` with a client of the service's router (`.live`: through a server on a loopback port).
    func test(
        _ mode: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = Application(router: self.service.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(mode, body)
    }

    /// The Authorization header of `role`'s principal.
    func headers(_ role: Policy.Role?) -> HTTPFields {
        guard let role, let token = self.tokens[role] else { return [:] }
        return [.authorization: "Bearer \(token)"]
    }

    /// The audit records written so far.
    func auditRecords() throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        try AuditReader.forEachEntry(in: self.root + "/audit") { records.append($0.record) }
        return records
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(self.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The error object of an error answer.
    var error: [String: Any] { self.json["error"] as? [String: Any] ?? [:] }
}
