import CleanRoomAudit
import CleanRoomCrypto
import Foundation
import Testing

/// Runs the auditor's shell commands of `SignedCheckpoint`'s documentation, exactly as written there, with
/// `/bin/sh` and the system `openssl`.
struct CheckpointAuditorScriptTests {
    /// The key name the documented commands look for.
    static let name = "cleanroom.example/audit"

    /// The lines of the ```sh block in the documentation comment of `SignedCheckpoint`.
    static func documentedScript() throws -> String {
        let source = URL(filePath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Sources/CleanRoomAudit/Checkpoint+Signing.swift")
        let lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n")
        let start = try #require(lines.firstIndex(of: "/// ```sh"))
        let end = try #require(lines[(start + 1)...].firstIndex(of: "/// ```"))
        return lines[(start + 1)..<end].map { $0.dropFirst("/// ".count) + "\n" }.joined()
    }

    @Test func documentationHoldsTheCommands() throws {
        let script = try Self.documentedScript()
        #expect(script.contains("openssl pkeyutl -verify -pubin -inkey pub.pem -rawin"))
        #expect(script.contains("tail -c 64"))
        #expect(script.contains("— \(Self.name) "))
    }

    @Test(arguments: ["C", "C.UTF-8"])
    func acceptsACheckpointWeSigned(locale: String) throws {
        let checkpoint = try Self.checkpoint()
        let note = try SignedCheckpoint.sign(checkpoint: checkpoint, name: Self.name, key: TestKeys.log())
        let result = try Self.runScript(checkpoint: note, locale: locale)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Signature Verified Successfully"))
        #expect(result.text == checkpoint.text)
    }

    @Test func picksOurLineAmongCosignatures() throws {
        let checkpoint = try Self.checkpoint()
        let ours = try SignedCheckpoint.sign(checkpoint: checkpoint, name: Self.name, key: TestKeys.log())
        let witness = try SignedCheckpoint.sign(
            checkpoint: checkpoint, name: "witness.example/w1", key: TestKeys.other()
        )
        let signatures = { (note: String) in String(note.dropFirst(checkpoint.text.count + 1)) }
        let note = checkpoint.text + "\n" + signatures(witness) + signatures(ours)
        let result = try Self.runScript(checkpoint: note, locale: "C")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Signature Verified Successfully"))
    }

    @Test(arguments: [("\n1042\n", "\n1043\n"), ("AAECAwQF", "AQECAwQF"), ("18:00:00Z", "18:00:01Z")])
    func refusesATamperedCheckpoint(_ original: String, _ replacement: String) throws {
        let note = try SignedCheckpoint.sign(checkpoint: Self.checkpoint(), name: Self.name, key: TestKeys.log())
        let tampered = note.replacingOccurrences(of: original, with: replacement)
        try #require(tampered != note)
        let result = try Self.runScript(checkpoint: tampered, locale: "C")
        #expect(result.status != 0)
        #expect(result.output.contains("Signature Verification Failure"))
    }

    @Test func refusesACheckpointSignedByAnotherKey() throws {
        let forged = try SignedCheckpoint.sign(checkpoint: Self.checkpoint(), name: Self.name, key: TestKeys.other())
        let result = try Self.runScript(checkpoint: forged, locale: "C")
        #expect(result.status != 0)
        #expect(result.output.contains("Signature Verification Failure"))
    }

    @Test func refusesACheckpointWithoutOurSignature() throws {
        let checkpoint = try Self.checkpoint()
        let other = try SignedCheckpoint.sign(checkpoint: checkpoint, name: "witness.example/w1", key: TestKeys.log())
        let result = try Self.runScript(checkpoint: other, locale: "C")
        #expect(result.status != 0)
    }

    private static func checkpoint() throws -> Checkpoint {
        try Checkpoint(
            origin: Self.name, size: 1042, rootHash: [UInt8](0..<32), time: Date(timeIntervalSince1970: 1_795_629_600)
        )
    }

    /// The exit status and combined output of the script, and the `checkpoint.text` it left.
    private struct ScriptResult {
        var status: Int32
        var output: String
        var text: String?
    }

    /// Writes `checkpoint` and the log's `pub.pem` into a fresh directory and runs the documented script there.
    private static func runScript(checkpoint: String, locale: String) throws -> ScriptResult {
        let directory = FileManager.default.temporaryDirectory.appending(path: "cleanroom-auditor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(checkpoint.utf8).write(to: directory.appending(path: "checkpoint"))
        try Data(TestKeys.log().publicKey.pemRepresentation.utf8).write(to: directory.appending(path: "pub.pem"))

        let process = Process()
        process.executableURL = URL(filePath: "/bin/sh")
        process.arguments = ["-c", try Self.documentedScript()]
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "LC_ALL": locale]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = try? String(contentsOf: directory.appending(path: "checkpoint.text"), encoding: .utf8)
        return ScriptResult(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), text: text
        )
    }
}
