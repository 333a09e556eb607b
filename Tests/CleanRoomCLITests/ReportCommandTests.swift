import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Testing

@testable import CleanRoomCLI

/// `cleanroom report processing` end to end on a home made by `init`.
struct ReportCommandTests {
    func entries(_ home: CleanRoomHome) throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        try AuditReader.forEachEntry(in: home.auditDirectory) { entries.append($0) }
        return entries
    }

    @Test(arguments: ["json", "markdown", "html"])
    func theReportIsAuditedWithItsDigestAndTheLogStillVerifies(format: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        let out = directory.path("report.\(format)")
        try runCleanRoom(["report", "processing", "--format", format, "--out", out, "--home", home.root])

        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Nordwind Retail GmbH"))
        #expect(text.contains("Daily News Media Group"))
        #expect(text.hasSuffix("\n"))

        // Opening the log recorded the policy in force (entry 0), which the report covers; then the report's own
        // entry, linked to exactly the log the report covers.
        let entries = try self.entries(home)
        #expect(entries.map(\.record.action) == [.policyChange, .auditRead])
        let record = entries[1].record
        #expect(record.request == .object([
            "command": .string("report processing"), "format": .string(format), "entries": .integer(1),
        ]))
        #expect(record.decision == .allowed("cli.admin"))
        #expect(record.resultDigest == Hex.encode(SHA256.hash(bytes)))
        #expect(text.contains(Hex.encode(entries[1].previousRoot)), "the report names the root of the log it covers")
        try runCleanRoom(["audit", "verify", "--home", home.root])
    }

    @Test func theJSONReportCountsTheIngestAndTheRightsRequestsOfTheHome() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        let customers = try directory.file("customers.jsonl", lines: [
            #"{"type":"customer","customer_id":"c-1","email":"ana@example.org","attributes":{"country":"DE"},"#
                + #""consent":{"analytics":true},"consent_at":"2026-03-01T10:00:00Z"}"#,
        ])
        try runCleanRoom(["ingest", customers, "--home", home.root, "--json"])
        try runCleanRoom(["rights", "withdraw", "--customer-id", "c-1", "--all", "--home", home.root])
        try runCleanRoom(["rights", "erase", "--customer-id", "c-1", "--home", home.root])
        let out = directory.path("report.json")
        try runCleanRoom(["report", "processing", "--format", "json", "--out", out, "--home", home.root])

        let report = try CanonicalJSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: out))))
        guard case .object(let object) = report, case .object(let log)? = object["audit_log"] else {
            Issue.record("the report is not an object with an audit_log")
            return
        }
        #expect(log["ingest_batches"] == .integer(1))
        #expect(log["rights_requests"] == .object(["withdrawal": .integer(1), "erasure": .integer(1)]))
        #expect(log["computations_by_purpose"] == .object([:]))
        let entries = try self.entries(home)
        #expect(log["entries"] == .integer(entries.count - 1))
        #expect(log["last_entry_time"] == .string(entries[entries.count - 2].time))
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)
        #expect(!text.contains("ana@example.org") && !text.contains("\"c-1\""))
    }

    @Test func aTamperedLogIsRefusedAndNothingIsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        try runCleanRoom(["report", "processing", "--out", directory.path("first.md"), "--home", home.root])
        let segment = home.auditDirectory + "/log-000000000000.jsonl"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        let at = try #require(bytes.firstRange(of: Array("\"audit_read\"".utf8))?.lowerBound)
        bytes[at + 1] = UInt8(ascii: "A")
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let out = directory.path("second.md")
        let error = #expect(throws: (any Error).self) {
            try runCleanRoom(["report", "processing", "--out", out, "--home", home.root])
        }
        let message = error.map { String(describing: $0) } ?? ""
        #expect(message.contains("refusing to report on an audit log that does not verify (entry 1: "), "\(message)")
        #expect(message.contains("cleanroom audit verify"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: segment))) == bytes, "nothing was appended")
        #expect(throws: ExitCode.failure) { try runCleanRoom(["audit", "verify", "--home", home.root]) }
    }

    @Test func anOutFileInAMissingFolderIsRefusedBeforeAnything() throws {
        #expect(throws: (any Error).self) {
            _ = try CleanRoomCommand.parseAsRoot(["report", "processing", "--out", "/nonexistent-folder/report.md"])
        }
        #expect(throws: (any Error).self) {
            _ = try CleanRoomCommand.parseAsRoot(["report", "processing", "--format", "pdf"])
        }
    }
}
