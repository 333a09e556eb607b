import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import Foundation

/// `cleanroom audit …`: read, prove and verify the audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, show, prove and export the tamper-evident audit log.",
        subcommands: [Verify.self, Show.self, Prove.self, Consistency.self, Export.self]
    )

    /// `cleanroom audit verify`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry, the Merkle tree and every checkpoint signature.",
            discussion: """
                Exits 0 with a one-line summary when the log is intact. On any change, removal, reordering, \
                insertion or truncation, or a checkpoint that does not verify, exits 1 naming the first bad \
                sequence number and what is wrong. Reads only: it works on a damaged log and on an export \
                (--dir with --public-key).
                """
        )

        @Option(help: ArgumentHelp("An audit folder or export to verify instead of the home's.", valueName: "dir"))
        var dir: String?

        @Option(help: ArgumentHelp("The log's public key (PEM), e.g. an export's audit-ed25519.pem.", valueName: "file"))
        var publicKey: String?

        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            let key: Ed25519PublicKey
            if let publicKey {
                key = try Ed25519PublicKey(pemRepresentation: String(contentsOfFile: publicKey, encoding: .utf8))
            } else {
                key = try Keyring.open(in: home.keysDirectory).auditSigningKey.publicKey
            }
            do {
                let summary = try AuditVerifier.verify(
                    directory: self.dir ?? home.auditDirectory, publicKey: key, origin: HomeAuditLog.origin
                )
                print(
                    "audit log intact: \(summary.size) entries, \(summary.checkpoints) checkpoints verified "
                        + "(newest covers \(summary.newestCheckpointSize)), root \(Hex.encode(summary.rootHash))"
                )
            } catch let error as AuditError {
                let at = error.sequence.map { "entry \($0): " } ?? ""
                printToStandardError("audit log NOT intact: \(at)\(error.message)")
                throw ExitCode.failure
            }
        }
    }

    /// `cleanroom audit show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print audit entries, filtered.")

        /// Output formats.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json
        }

        @Option(help: "Only entries from this sequence number on.") var since: Int = 0
        @Option(help: "Only entries of this principal.") var principal: String?
        @Option(help: "Only entries of this action (query, rights_request, key_rotation, …).") var action: String?
        @Option(help: "table, or json (one entry per line, as stored).") var format: Format = .table
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let audit = try HomeAuditLog(home: self.homeOptions.resolved)
            var lines: [String] = []
            if self.format == .table {
                lines.append(AuditTable.header)
            }
            try AuditReader.forEachEntry(in: self.homeOptions.resolved.auditDirectory, since: max(0, self.since)) {
                entry in
                guard self.principal.map({ $0 == entry.record.principal }) ?? true,
                    self.action.map({ $0 == entry.record.action.rawValue }) ?? true
                else { return }
                lines.append(self.format == .json ? String(decoding: entry.bytes, as: UTF8.self) : AuditTable.row(entry))
            }
            let output = lines.joined(separator: "\n")
            try audit.record(
                .auditRead,
                request: .object([
                    "command": .string("show"), "since": .integer(self.since),
                    "action": self.action.map(CanonicalJSON.string) ?? .null,
                    "format": .string(self.format.rawValue),
                ]),
                decision: .allowed("cli.admin"), resultDigest: Hex.encode(SHA256.hash(output))
            )
            try audit.log.close()
            print(output)
        }
    }

    /// `cleanroom audit prove SEQ`.
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the inclusion proof of one entry as JSON (RFC 9162 section 2.1.3).",
            discussion: """
                The proof is against the log as it stands, whose signed checkpoint is included: an auditor \
                checks the leaf hash against the entry's line, the path against the checkpoint's root, and the \
                checkpoint's signature against the log's public key.
                """
        )

        @Argument(help: "The entry's sequence number.") var sequence: Int
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            let audit = try HomeAuditLog(home: home)
            let request = CanonicalJSON.object(["command": .string("prove"), "sequence": .integer(self.sequence)])
            guard self.sequence >= 0, self.sequence < audit.log.size else {
                try audit.record(.auditRead, request: request, decision: .refused("audit.sequence_out_of_range"))
                try audit.log.close()
                throw ValidationError("the log has \(audit.log.size) entries; there is no entry \(self.sequence)")
            }
            let proof = try AuditProof.make(log: audit.log, sequence: self.sequence, home: home)
            try audit.record(
                .auditRead, request: request, decision: .allowed("cli.admin"),
                resultDigest: Hex.encode(SHA256.hash(proof))
            )
            try audit.log.close()
            print(proof)
        }
    }

    /// `cleanroom audit consistency OLD NEW`.
    struct Consistency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the consistency proof between two log sizes as JSON (RFC 9162 section 2.1.4).",
            discussion: """
                Proves that the log of NEW entries extends the log of OLD entries unchanged. The signed \
                checkpoints of both sizes are included when they exist (every `cleanroom` command that writes to \
                the log leaves one), so an auditor can check the proof between two roots the log signed.
                """
        )

        @Argument(help: "The older size (at least 1).") var old: Int
        @Argument(help: "The newer size (at most the log's size).") var new: Int
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let audit = try HomeAuditLog(home: self.homeOptions.resolved)
            let request = CanonicalJSON.object([
                "command": .string("consistency"), "old_size": .integer(self.old), "new_size": .integer(self.new),
            ])
            let log = audit.log
            guard self.old >= 1, self.old <= self.new, self.new <= log.size else {
                try audit.record(.auditRead, request: request, decision: .refused("audit.size_out_of_range"))
                try log.close()
                throw ValidationError("sizes must satisfy 1 ≤ OLD ≤ NEW ≤ \(log.size), the log's size")
            }
            let proof = try AuditConsistencyProof.make(log: log, old: self.old, new: self.new)
            try audit.record(
                .auditRead, request: request, decision: .allowed("cli.admin"), resultDigest: Hex.encode(SHA256.hash(proof))
            )
            try log.close()
            print(proof)
        }
    }

    /// `cleanroom audit export --out DIR`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the log for an auditor, with a README and a script that verify it without CleanRoom."
        )

        @Option(help: ArgumentHelp("A new folder to write the export to.", valueName: "dir")) var out: String
        @OptionGroup var homeOptions: HomeOptions

        func run() throws {
            let home = self.homeOptions.resolved
            let audit = try HomeAuditLog(home: home)
            try audit.record(
                .auditRead, request: .object(["command": .string("export")]), decision: .allowed("cli.admin")
            )
            // Close first so that the export ends with a checkpoint covering every entry, this one included.
            try audit.log.close()
            let summary = try AuditExport.write(
                from: home.auditDirectory, to: self.out, publicKey: audit.keyring.auditSigningKey.publicKey,
                origin: HomeAuditLog.origin
            )
            print("exported \(summary.size) entries and \(summary.checkpoints) checkpoints to \(self.out)")
            print("an auditor verifies it with: bash \(self.out)/verify.sh")
        }
    }
}

/// The table `audit show` prints.
enum AuditTable {
    static let header = ["seq", "time", "principal", "role", "action", "purpose", "decision", "rule", "cohorts"]
        .joined(separator: "\t")

    static func row(_ entry: AuditEntry) -> String {
        let record = entry.record
        return [
            String(entry.sequence), entry.time, record.principal, record.role, record.action.rawValue,
            record.purpose ?? "-", record.decision.outcome.rawValue, record.decision.rule,
            record.cohortSizes.map(String.init).joined(separator: ","),
        ].joined(separator: "\t")
    }
}

/// The JSON `audit consistency` prints.
enum AuditConsistencyProof {
    static func make(log: AuditLog, old: Int, new: Int) throws -> String {
        CanonicalJSON.object([
            "old_size": .integer(old),
            "new_size": .integer(new),
            "old_root": .string(Hex.encode(try log.rootHash(size: old))),
            "new_root": .string(Hex.encode(try log.rootHash(size: new))),
            "consistency_proof": .array(try log.consistencyProof(from: old, to: new).map { .string(Hex.encode($0)) }),
            "old_checkpoint": try log.signedCheckpoint(size: old).map(CanonicalJSON.string) ?? .null,
            "new_checkpoint": try log.signedCheckpoint(size: new).map(CanonicalJSON.string) ?? .null,
            "algorithm": .string("RFC 9162 section 2.1.4.2"),
        ]).text
    }
}

/// The JSON `audit prove` prints.
enum AuditProof {
    static func make(log: AuditLog, sequence: Int, home: CleanRoomHome) throws -> String {
        // The log as it was opened: every command closes it with a checkpoint, so one covers exactly this size.
        let size = log.size
        var leafHash: [UInt8] = []
        try AuditReader.forEachEntry(in: home.auditDirectory, since: sequence) { entry in
            if entry.sequence == sequence { leafHash = entry.leafHash }
        }
        let proof = try log.inclusionProof(sequence: sequence, size: size)
        return CanonicalJSON.object([
            "sequence": .integer(sequence),
            "tree_size": .integer(size),
            "leaf_hash": .string(Hex.encode(leafHash)),
            "root_hash": .string(Hex.encode(try log.rootHash(size: size))),
            "inclusion_proof": .array(proof.map { .string(Hex.encode($0)) }),
            "algorithm": .string("RFC 9162 section 2.1.3.2; leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || l || r)"),
            "checkpoint": try log.signedCheckpoint(size: size).map(CanonicalJSON.string) ?? .null,
        ]).text
    }
}
