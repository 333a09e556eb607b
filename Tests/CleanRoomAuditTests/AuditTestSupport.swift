@testable import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import Foundation

/// A fresh audit folder in a temporary directory, removed by `remove()`.
struct AuditFolder {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
    var directory: String { self.root + "/audit" }
    let key: Ed25519PrivateKey

    init() throws {
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        self.key = try Ed25519PrivateKey.generate()
    }

    func remove() { try? FileManager.default.removeItem(atPath: self.root) }

    func options(
        checkpointEvery: Int = 1000, segmentCapacity: Int = 100_000, commitMode: AuditLog.CommitMode = .group
    ) -> AuditLog.Options {
        AuditLog.Options(
            origin: "cleanroom/audit", checkpointEvery: checkpointEvery, segmentCapacity: segmentCapacity,
            commitMode: commitMode
        )
    }

    func open(_ options: AuditLog.Options? = nil) throws -> (log: AuditLog, report: AuditLog.OpenReport) {
        try AuditLog.open(directory: self.directory, signingKey: self.key, options: options ?? self.options())
    }

    func verify() throws -> AuditVerifier.Summary {
        try AuditVerifier.verify(directory: self.directory, publicKey: self.key.publicKey, origin: "cleanroom/audit")
    }

    /// The first segment's path.
    var firstSegment: String { self.directory + "/log-000000000000.jsonl" }

    func lines(of path: String) throws -> [[UInt8]] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            .map { Array($0) + [UInt8(ascii: "\n")] }
    }

    func write(lines: [[UInt8]], to path: String) throws {
        try Data(lines.flatMap { $0 }).write(to: URL(fileURLWithPath: path))
    }
}

/// A record of a query, numbered so that entries differ.
func queryRecord(_ number: Int, principal: String = "publisher-a") -> AuditRecord {
    AuditRecord(
        principal: principal, role: "partner", action: .query, purpose: "analytics",
        request: .object([
            "metrics": .array([.string("people")]), "group_by": .array([.string("country")]),
            "window": .object(["from": .string("2026-01-01"), "to": .string("2026-03-31")]),
            "number": .integer(number),
        ]),
        decision: .allowed("policy.purpose_allowed"), cohortSizes: [120, 80], suppressedCells: 1,
        policyDigest: Hex.encode(SHA256.hash("policy")), resultDigest: Hex.encode(SHA256.hash("result \(number)"))
    )
}

/// Runs `body` and returns the `AuditError` it throws, or `nil`.
func auditError(_ body: () throws -> Void) -> AuditError? {
    do {
        try body()
        return nil
    } catch let error as AuditError {
        return error
    } catch {
        return AuditError(code: .readFailed, message: "unexpected \(error)")
    }
}
