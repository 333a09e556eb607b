import ArgumentParser
import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomIngest
import CleanRoomServer
import CleanRoomStore
import Foundation
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `cleanroom demo` (`demo run`): the whole product in one command, over HTTP on loopback.
struct DemoRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole clean room end to end: ingest, serve, and a partner, the owner and an auditor at work.",
        discussion: """
            Initializes a home (a new temporary folder unless --home is given; the policies come from ./policies), \
            generates a synthetic retail data set, ingests it, starts the service on loopback, and then over HTTP: a \
            partner uploads a hashed audience and reads its overlap, the owner breaks its customers down by RFM \
            segment and mines association rules, a customer withdraws consent and another is erased, and the \
            auditor verifies the log. Then the service stops.
            """
    )

    @Option(help: "The home to use (default: a new temporary folder).") var home: String?
    @Option(help: "The folder holding default.yaml and segments.yaml.") var policies = "policies"
    @Option(help: "The number of synthetic customers.") var customers = 20_000

    func run() async throws {
        let home = try self.prepareHome()
        step("home: \(home.root)")
        let data = URL(fileURLWithPath: home.root).appendingPathComponent("demo-data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let day = Int64(Date().timeIntervalSince1970) / DemoTimestamp.day
        let summary = try DemoGenerator.generate(
            .init(customers: self.customers, eventsPerCustomer: 5, seed: 42, end: day * DemoTimestamp.day), into: data)
        step("demo data: \(summary.customerLines) customer, \(summary.eventLines) event, \(summary.consentLines) consent lines")

        let audit = try HomeAuditLog(home: home)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        let identities = try IdentityIndex.load(from: store)
        let ingestor = try Ingestor(
            store: store, keyring: audit.keyring, policy: audit.policy, index: identities, audit: audit.log)
        for file in ["customers", "events", "consents"] {
            let counts = try ingestor.ingest(path: data.appendingPathComponent(file + ".jsonl").path)
            step("ingest \(file): \(counts.accepted) accepted, \(counts.rejected) rejected (reasons in the rejects file)")
        }
        let tokens = try PrincipalTokens(store: store, policy: audit.policy)
        let owner = try tokens.issue(for: "nordwind-analytics", role: .owner)
        let partner = try tokens.issue(for: "alpina-outdoor", role: .partner)
        let auditor = try tokens.issue(for: "dpo", role: .auditor)
        let service = try CleanRoomService(
            store: store, policy: audit.policy,
            segments: try SegmentCatalog.load(path: home.segmentsFile, policy: audit.policy), keyring: audit.keyring,
            audit: audit.log, auditDirectory: home.auditDirectory, auditOrigin: HomeAuditLog.origin,
            engine: try CohortEngine(store: store, policy: audit.policy), identities: identities, tokens: tokens)

        var logger = Logger(label: "cleanroom-demo")
        logger.logLevel = .warning
        let port = Int.random(in: 20_000..<40_000)
        let server = service.server(host: "127.0.0.1", port: port, logger: logger)
        let serving = Task { try await server.run() }
        let client = DemoHTTPClient(base: "http://127.0.0.1:\(port)")
        try await client.waitUntilHealthy()
        step("service listening on 127.0.0.1:\(port)")

        let hashes = try Self.partnerHashes(in: data.appendingPathComponent("customers.jsonl"), count: 2_000)
        let upload = try await client.call("POST", "/v1/audiences", token: partner, body: hashes)
        step("partner uploads \(hashes.split(separator: "\n").count) hashed e-mails", upload)
        let id = (upload.json["id"] as? String) ?? ""
        step("partner's overlap by age band", try await client.call(
            "POST", "/v1/audiences/\(id)/overlap", token: partner,
            body: #"{"purpose": "partner_matching", "groupBy": ["age_band"]}"#))
        step("owner's customers by RFM segment", try await client.call(
            "POST", "/v1/query", token: owner,
            body: #"{"purpose": "analytics", "groupBy": ["segment"], "segments": ["champions", "loyal", "at_risk", "#
                + #""new_customers", "lapsed"], "metrics": ["people", "monetary_avg", "frequency_avg"]}"#))
        step("owner's association rules", try await client.call(
            "POST", "/v1/rules", token: owner,
            body: #"{"purpose": "analytics", "minSupport": 0.005, "minConfidence": 0.05}"#))
        let consenting = try Self.customer(consentingTo: "analytics", in: data.appendingPathComponent("customers.jsonl"))
        step("a customer withdraws consent to analytics", try await client.call(
            "POST", "/v1/rights/withdraw", token: owner,
            body: #"{"customer_id": "\#(consenting)", "purposes": ["analytics"]}"#))
        step("the owner asks the same question again: one person fewer than before would reveal that person, so the "
             + "differencing guard refuses",
             try await client.call(
                "POST", "/v1/query", token: owner,
                body: #"{"purpose": "analytics", "groupBy": ["segment"], "segments": ["champions", "loyal", "#
                    + #""at_risk", "new_customers", "lapsed"], "metrics": ["people", "monetary_avg", "frequency_avg"]}"#))
        step("another customer is erased", try await client.call(
            "POST", "/v1/rights/erase", token: owner, body: #"{"customer_id": "c-0000004"}"#))
        step("the auditor verifies the log", try await client.call("GET", "/v1/audit/verify", token: auditor))

        await server.stop()
        try await serving.value
        try audit.log.close()
        try store.close()
        step("service stopped; audit log checkpointed. Verify it again any time with: "
             + "cleanroom audit verify --home \(home.root)")
    }

    /// The home to run in, initialized, with the policies copied in when it has none.
    private func prepareHome() throws -> CleanRoomHome {
        let root = self.home ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("cleanroom-demo-\(UUID().uuidString.prefix(8))").path
        let home = CleanRoomHome(root: root)
        try FileManager.default.createDirectory(atPath: home.policiesDirectory, withIntermediateDirectories: true)
        for name in ["default.yaml", "segments.yaml"] {
            let target = home.policiesDirectory + "/" + name
            guard !FileManager.default.fileExists(atPath: target) else { continue }
            let source = self.policies + "/" + name
            guard FileManager.default.fileExists(atPath: source) else {
                throw ValidationError("no \(source): run the demo from the CleanRoom folder, or pass --policies DIR")
            }
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
        _ = try HomeInitializer(home: home).initialize()
        return home
    }

    /// The customer id of someone whose record consents to `purpose` (and whom no later change withdraws).
    static func customer(consentingTo purpose: String, in customers: URL) throws -> String {
        let text = try String(contentsOf: customers, encoding: .utf8)
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["customer_id"] as? String, (object["consent"] as? [String: Bool])?[purpose] == true
            else { continue }
            return id
        }
        throw ValidationError("no customer of the demo data consents to \(purpose)")
    }

    /// What a partner would upload: the match hashes (Google profile) of some customers' e-mails, plus as many
    /// made-up ones, one lowercase hex per line.
    static func partnerHashes(in customers: URL, count: Int) throws -> String {
        var lines: [String] = []
        let text = try String(contentsOf: customers, encoding: .utf8)
        for line in text.split(separator: "\n") where lines.count < count {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let email = object["email"] as? String,
                let normalized = try? EmailNormalizer.normalize(email, profile: .google)
            else { continue }
            lines.append(MatchHash(normalized: normalized).hex)
            lines.append(MatchHash(normalized: "nobody.\(lines.count)@example.net").hex)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Prints one step of the demo, with the answer's JSON when there is one.
private func step(_ title: String, _ response: DemoHTTPClient.Response? = nil) {
    print("\n== \(title)")
    guard let response else { return }
    let body = response.body.count > 1_200 ? String(response.body.prefix(1_200)) + " …" : response.body
    print("HTTP \(response.status): \(body)")
}

/// A small HTTP client over URLSession for the demo's requests.
struct DemoHTTPClient: Sendable {
    let base: String

    struct Response: Sendable {
        var status: Int
        var body: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(self.body.utf8))) as? [String: Any] ?? [:]
        }
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> Response {
        var request = URLRequest(url: URL(string: self.base + path)!, timeoutInterval: 60)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = body.map { Data($0.utf8) }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let response = response as? HTTPURLResponse {
                    continuation.resume(returning: Response(
                        status: response.statusCode, body: String(decoding: data ?? Data(), as: UTF8.self)))
                } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
    }

    func waitUntilHealthy() async throws {
        for _ in 0..<200 {
            if let response = try? await self.call("GET", "/healthz"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the service did not start")
    }
}
