import ArgumentParser
@testable import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation
import Testing

@testable import CleanRoomCLI

struct AuditCommandTests {
    /// Every file under `path`, as bytes.
    func contents(under path: String) throws -> [(String, [UInt8])] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [(String, [UInt8])] = []
        while let relative = enumerator?.nextObject() as? String {
            let full = path + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append((relative, Array(try Data(contentsOf: URL(fileURLWithPath: full)))))
            }
        }
        return files
    }

    func runShell(_ script: String, in directory: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func keyRotationIsAuditedAndTheLogVerifiesProvesAndExports() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        try runCleanRoom(["keys", "rotate", "--home", home.root])
        try runCleanRoom(["keys", "rotate", "--home", home.root])
        try runCleanRoom(["audit", "show", "--home", home.root, "--action", "key_rotation"])

        var actions: [String] = []
        try AuditReader.forEachEntry(in: home.auditDirectory) { actions.append($0.record.action.rawValue) }
        #expect(actions == ["policy_change", "key_rotation", "key_rotation", "audit_read"])
        try runCleanRoom(["audit", "verify", "--home", home.root])

        // The inclusion proof of entry 1 checks against the signed checkpoint it comes with.
        let audit = try HomeAuditLog(home: home)
        let proof = try JSONSerialization.jsonObject(with: Data(try AuditProof.make(log: audit.log, sequence: 1, home: home).utf8))
            as? [String: Any]
        try audit.log.close()
        let size = try #require(proof?["tree_size"] as? Int)
        let path = try #require(proof?["inclusion_proof"] as? [String]).compactMap(Hex.decode)
        let leafHex = try #require(proof?["leaf_hash"] as? String)
        let leaf = try #require(Hex.decode(leafHex))
        let note = try #require(proof?["checkpoint"] as? String)
        let verifier = try NoteVerifier(
            name: "cleanroom/audit", publicKey: try Keyring.open(in: home.keysDirectory).auditSigningKey.publicKey
        )
        let checkpoint = try SignedCheckpoint.open(note, verifier: verifier, origin: "cleanroom/audit")
        #expect(checkpoint.size == UInt64(size))
        #expect(MerkleVerifier.verifyInclusion(leafHash: leaf, leafIndex: 1, treeSize: size, proof: path, rootHash: checkpoint.rootHash))

        // The export verifies with standard tools alone, and its script finds tampering.
        let export = directory.path("export")
        try runCleanRoom(["audit", "export", "--home", home.root, "--out", export])
        let intact = try self.runShell("bash verify.sh", in: export)
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output.contains("intact: 5 entries"), "\(intact.output)")
        try runCleanRoom(["audit", "verify", "--dir", export, "--public-key", export + "/audit-ed25519.pem"])

        let segment = export + "/log-000000000000.jsonl"
        let text = try String(contentsOfFile: segment, encoding: .utf8)
        try text.replacingOccurrences(of: "\"key_rotation\"", with: "\"key_rotatioN\"")
            .write(toFile: segment, atomically: false, encoding: .utf8)
        let tampered = try self.runShell("bash verify.sh", in: export)
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("entry 1: its leaf hash does not match"), "\(tampered.output)")
        #expect(throws: ExitCode.failure) {
            try runCleanRoom(["audit", "verify", "--dir", export, "--public-key", export + "/audit-ed25519.pem"])
        }
    }

    @Test func aConsistencyProofLinksTwoSignedCheckpoints() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        for _ in 0..<5 { try runCleanRoom(["keys", "rotate", "--home", home.root]) }
        // Each command closed the log with a checkpoint: sizes 2, 3, 4, 5, 6.
        try runCleanRoom(["audit", "consistency", "2", "5", "--home", home.root])
        let audit = try HomeAuditLog(home: home)
        let text = try AuditConsistencyProof.make(log: audit.log, old: 3, new: 6)
        try audit.log.close()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let verifier = try NoteVerifier(
            name: "cleanroom/audit", publicKey: try Keyring.open(in: home.keysDirectory).auditSigningKey.publicKey
        )
        let old = try SignedCheckpoint.open(try #require(json["old_checkpoint"] as? String), verifier: verifier)
        let new = try SignedCheckpoint.open(try #require(json["new_checkpoint"] as? String), verifier: verifier)
        let proof = try #require(json["consistency_proof"] as? [String]).compactMap(Hex.decode)
        #expect(old.size == 3 && new.size == 6)
        #expect(MerkleVerifier.verifyConsistency(
            oldSize: 3, newSize: 6, oldRoot: old.rootHash, newRoot: new.rootHash, proof: proof))
        #expect(!MerkleVerifier.verifyConsistency(
            oldSize: 3, newSize: 6, oldRoot: new.rootHash, newRoot: old.rootHash, proof: proof))
        #expect(throws: ValidationError.self) { try runCleanRoom(["audit", "consistency", "5", "99", "--home", home.root]) }
    }

    @Test func theExportScriptFindsADroppedEntryAndAForgedCheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        for _ in 0..<3 { try runCleanRoom(["keys", "rotate", "--home", home.root]) }
        let export = directory.path("export")
        try runCleanRoom(["audit", "export", "--home", home.root, "--out", export])

        let segment = export + "/log-000000000000.jsonl"
        let original = try String(contentsOfFile: segment, encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 1)
        try lines.joined(separator: "\n").write(toFile: segment, atomically: false, encoding: .utf8)
        let dropped = try self.runShell("bash verify.sh", in: export)
        #expect(dropped.status == 1)
        #expect(dropped.output.contains("entry 1: entry 2 stands in its place"), "\(dropped.output)")

        try original.write(toFile: segment, atomically: false, encoding: .utf8)
        let forger = try Ed25519PrivateKey.generate()
        let forged = try SignedCheckpoint.sign(
            checkpoint: Checkpoint(origin: "cleanroom/audit", size: 4, rootHash: Array(repeating: 1, count: 32), time: Date()),
            name: "cleanroom/audit", key: forger
        )
        try forged.write(toFile: export + "/checkpoint", atomically: false, encoding: .utf8)
        let forgedRun = try self.runShell("bash verify.sh", in: export)
        #expect(forgedRun.status == 1)
        #expect(forgedRun.output.contains("checkpoint checkpoint: its signature does not verify"), "\(forgedRun.output)")
    }

    @Test func aTamperedLogStopsEveryCommandThatWouldAnswerAndChangesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        try runCleanRoom(["keys", "rotate", "--home", home.root])
        let segment = home.auditDirectory + "/log-000000000000.jsonl"
        let text = try String(contentsOfFile: segment, encoding: .utf8)
        try text.replacingOccurrences(of: "cli.admin", with: "cli.admiN").write(toFile: segment, atomically: false, encoding: .utf8)

        let error = #expect(throws: AuditError.self) { try runCleanRoom(["keys", "rotate", "--home", home.root]) }
        #expect(error?.code == .tampered)
        #expect(error?.sequence == 1, "entry 0 records the policy; entry 1 the first rotation")
        #expect(!FileManager.default.fileExists(atPath: home.keysDirectory + "/kek-v3.key"), "nothing rotated")
        #expect(throws: ExitCode.failure) { try runCleanRoom(["audit", "verify", "--home", home.root]) }
    }

    @Test func withoutAPolicyNothingIsAnsweredOrChanged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        try FileManager.default.removeItem(atPath: home.policyFile)
        #expect(throws: PolicyError.self) { try runCleanRoom(["keys", "rotate", "--home", home.root]) }
        #expect(!FileManager.default.fileExists(atPath: home.keysDirectory + "/kek-v2.key"))
    }

    /// DESIGN.md section 6.7 and the issue's test: known e-mails and phones are held, every kind of request
    /// this build answers runs, and nothing under audit/ (nor the export) holds a raw value, its SHA-256 or its
    /// pseudonym, in hex or Base64.
    @Test func theAuditFolderHoldsNoIdentifierHashOrPseudonym() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        let raw = ["jane.doe@example.com", "Max.Mustermann+shop@gmail.com", "+49 30 1234567", "0151 23456789",
                   "(201) 555-0123"]
        let keyring = try Keyring.open(in: home.keysDirectory)
        let normalizer = try IdentifierNormalizer(defaultRegion: "DE")
        var needles: [String] = []
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        try store.write { transaction in
            for value in raw {
                let kind: IdentifierKind = value.contains("@") ? .email : .phone
                let region = value.hasPrefix("(") ? "US" : nil
                let hashes = try normalizer.matchHashes(kind: kind, raw: value, region: region)
                let subject = try transaction.subjects.create(at: Date())
                let dataKey = try DataKey.generate()
                let wrapped = try keyring.wrap(dataKey, context: subject.dataKeyContext)
                try transaction.dataKeys.insert(
                    StoredDataKey(subject: subject, kekVersion: wrapped.keyEncryptionKeyVersion, wrapped: wrapped.serialized))
                try transaction.identifiers.add(StoredIdentifier(
                    subject: subject, kind: kind,
                    sealed: try dataKey.seal(Array(value.utf8), context: subject.dataKeyContext),
                    variants: hashes.map { StoredIdentifier.Variant(name: "\($0.rules.first!)", pseudonym: $0.hash.pseudonym(matchKey: keyring.matchKey)) },
                    addedAt: Date()))
                needles.append(value)
                for entry in hashes {
                    let pseudonym = entry.hash.pseudonym(matchKey: keyring.matchKey).bytes
                    needles += [entry.hash.hex, entry.hash.base64, Hex.encode(pseudonym), Data(pseudonym).base64EncodedString()]
                }
                needles.append(try normalizer.normalize(kind: kind, raw: value, region: region))
            }
        }
        try store.close()

        try runCleanRoom(["policy", "check", "--home", home.root])
        try runCleanRoom(["keys", "rotate", "--home", home.root])
        try runCleanRoom(["audit", "show", "--home", home.root])
        try runCleanRoom(["audit", "show", "--home", home.root, "--format", "json"])
        try runCleanRoom(["audit", "prove", "0", "--home", home.root])
        try runCleanRoom(["audit", "verify", "--home", home.root])
        let export = directory.path("export")
        try runCleanRoom(["audit", "export", "--home", home.root, "--out", export])

        let files = try self.contents(under: home.auditDirectory) + self.contents(under: export)
        #expect(files.count > 4)
        for (name, bytes) in files {
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            for needle in needles {
                #expect(!text.contains(needle.lowercased()), "\(name) holds an identifier, its hash or pseudonym")
            }
        }
    }
}
