import CleanRoomAudit
import CleanRoomCrypto
import Foundation
import Testing

@testable import CleanRoomCLI

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `cleanroom principal add` and `cleanroom serve`, run as the real binary: a token issued once, a query over
/// HTTP, and a graceful stop on SIGTERM that leaves a checkpointed, verifiable audit log.
struct ServeCommandTests {
    /// Sends a request and returns its status and body, or `nil` when nothing answers.
    func request(_ url: String, method: String = "GET", token: String? = nil, body: String? = nil)
        -> (status: Int, body: String)?
    {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 5)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = body.map { Data($0.utf8) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse {
                result = (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    @Test func aTokenIssuedOnceOpensTheServiceWhichStopsGracefully() throws {
        let binary = try CleanRoomBinary.locate()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        let customers = directory.path("customers.jsonl")
        try Data((1...60).map { person in
            #"{"type":"customer","customer_id":"c-\#(person)","attributes":{"country":"DE"},"#
                + #""consent":{"ads_measurement":true},"consent_at":"2026-03-01T10:00:00Z"}"#
        }.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: customers))
        try runCleanRoom(["ingest", customers, "--home", home.root, "--json"])
        let tokenLog = directory.path("token.log")
        #expect(try binary.run(["principal", "add", "alpina-outdoor", "--role", "partner", "--home", home.root],
                               log: tokenLog) == .exited(0))
        let token = try String(contentsOfFile: tokenLog, encoding: .utf8)
            .split(separator: "\n").last.map(String.init) ?? ""
        #expect(token.hasPrefix("crt_"))

        let port = Int.random(in: 20_000..<40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary.path)
        server.arguments = ["serve", "--home", home.root, "--port", String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let base = "http://127.0.0.1:\(port)"
        var healthy = false
        for _ in 0..<100 where !healthy {
            healthy = self.request(base + "/healthz")?.status == 200
            if !healthy { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(healthy)
        let answer = self.request(
            base + "/v1/query", method: "POST", token: token, body: #"{"purpose": "ads_measurement"}"#)
        #expect(answer?.status == 200)
        #expect(answer?.body.contains(#""people":60"#) == true)
        #expect(self.request(base + "/v1/query", method: "POST", body: "{}")?.status == 401)

        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        // The log ends with a checkpoint of its final size, and verifies.
        let summary = try AuditVerifier.verify(
            directory: home.auditDirectory,
            publicKey: try Keyring.open(in: home.keysDirectory).auditSigningKey.publicKey,
            origin: "cleanroom/audit")
        #expect(summary.newestCheckpointSize == summary.size)
        // Retention was applied when the service started, and audited.
        var sweeps: [AuditRecord] = []
        try AuditReader.forEachEntry(in: home.auditDirectory) { entry in
            if entry.record.action == .retentionSweep { sweeps.append(entry.record) }
        }
        #expect(sweeps.map(\.principal) == ["service"])
    }
}

/// `cleanroom demo`: the whole product end to end, run as the real binary.
struct DemoRunCommandTests {
    @Test func theDemoRunsEveryRoleOverHTTPAndLeavesAVerifiableLog() throws {
        let binary = try CleanRoomBinary.locate()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let policies = URL(fileURLWithPath: repositoryPolicy).deletingLastPathComponent().path
        let log = directory.path("demo.log")
        let outcome = try binary.run(
            ["demo", "--home", directory.path("home"), "--customers", "3000", "--policies", policies], log: log)
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(outcome == .exited(0), "\(output)")
        let home = CleanRoomHome(root: directory.path("home"))
        var actions: Set<String> = []
        try AuditReader.forEachEntry(in: home.auditDirectory) { actions.insert($0.record.action.rawValue) }
        #expect(actions.isSuperset(of: [
            "ingest_batch", "audience_upload", "audience_overlap", "query", "rules", "rights_request", "audit_read",
        ]))
        let summary = try AuditVerifier.verify(
            directory: home.auditDirectory, publicKey: try Keyring.open(in: home.keysDirectory).auditSigningKey.publicKey,
            origin: "cleanroom/audit")
        #expect(summary.newestCheckpointSize == summary.size)
        #expect(output.contains(#""verified":true"#))
    }
}
