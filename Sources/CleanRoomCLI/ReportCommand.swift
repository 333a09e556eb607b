import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomRights
import Foundation

/// `cleanroom report …`: reports for the data controller's records.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write reports for the data controller's records.",
        subcommands: [Processing.self]
    )

    /// `cleanroom report processing`.
    struct Processing: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarize the records of processing (GDPR Art. 30) from the policy and the audit log.",
            discussion: """
                From the policy in force: the controller, each purpose with its lawful basis, the data categories \
                with their retention, the recipients (partner principals), the time limits and the privacy \
                parameters. From the audit log, which must verify first (a log that does not is refused): the \
                computations per purpose and per principal, answered and refused, the rights requests by kind, \
                the ingest batches and the period covered. No identifier appears in it. The report is itself \
                audited, with its SHA-256 digest, before it is printed or written.
                """
        )

        /// Output formats.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json, markdown, html
        }

        @Option(help: "json, markdown or html (one self-contained page).") var format: Format = .markdown
        @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
        var out: String?
        @OptionGroup var homeOptions: HomeOptions

        func validate() throws {
            if let out = self.out {
                let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
                guard FileManager.default.fileExists(atPath: folder) else {
                    throw ValidationError("the folder of --out does not exist: \(folder)")
                }
            }
        }

        func run() throws {
            let home = self.homeOptions.resolved
            let audit: HomeAuditLog
            do {
                audit = try HomeAuditLog(home: home)
            } catch let error as AuditError where error.code == .tampered {
                throw ProcessingReportError(unverifiedLog: error)
            }
            let report = try ProcessingReport(
                policy: audit.policy, auditDirectory: home.auditDirectory,
                publicKey: audit.keyring.auditSigningKey.publicKey, origin: HomeAuditLog.origin
            )
            let document = self.render(report)
            let file = try self.out.map(PrivateFile.init(creatingAt:))
            // Audit before answer: the entry, with the digest of exactly these bytes, is durable before they leave.
            try audit.record(
                .auditRead,
                request: .object([
                    "command": .string("report processing"), "format": .string(self.format.rawValue),
                    "entries": .integer(report.log.entries),
                ]),
                decision: .allowed("cli.admin"), resultDigest: Hex.encode(SHA256.hash(document))
            )
            try audit.log.close()
            if let out = self.out, let file {
                try file.commit(document)
                printToStandardError(
                    "records of processing over \(report.log.entries) audit entries written to \(out)"
                )
            } else {
                FileHandle.standardOutput.write(Data(document))
            }
        }

        /// The report in the chosen format, as the bytes written, ending with a newline.
        func render(_ report: ProcessingReport) -> [UInt8] {
            switch self.format {
            case .json: report.json.utf8 + [UInt8(ascii: "\n")]
            case .markdown: Array(report.markdown.utf8)
            case .html: Array(report.html.utf8)
            }
        }
    }
}
