import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomIngest
import CleanRoomStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `cleanroom ingest FILE…`.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest customers, events and consent choices from JSON Lines or CSV files.",
        discussion: """
            Rows are validated against the policy, identifiers normalized, hashed and pseudonymized, people \
            resolved across files, identifiers sealed, and each batch committed in one transaction and audited \
            (counts only). Rejected rows go to FILE.rejects.jsonl (line, field, reason; never a value); the rest \
            is ingested. Running the same command again skips what was committed: after a crash, just rerun it.
            """
    )

    @Argument(help: ArgumentHelp("Input files (.jsonl or .csv); - reads standard input.", valueName: "file"))
    var files: [String]

    @Option(help: "What every row of a CSV file is (customers, events, consents); from its header by default.")
    var kind: String?

    @Option(help: "The source recorded for rows that name none (e.g. web, store, crm).")
    var source: String?

    @Option(help: "jsonl or csv; from the file name by default.")
    var inputFormat: String?

    @Option(help: "Rows per transaction.")
    var batchSize: Int = 5_000

    @Option(help: "A key naming this input: a replay with the same key is a no-op (instead of the content digest).")
    var idempotencyKey: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var homeOptions: HomeOptions

    func validate() throws {
        guard !self.files.isEmpty else { throw ValidationError("give at least one file, or - for standard input") }
        guard self.batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        if let kind = self.kind, IngestKind(rawValue: kind) == nil {
            throw ValidationError("--kind must be customers, events or consents")
        }
        if let format = self.inputFormat, Ingestor.Format(rawValue: format) == nil {
            throw ValidationError("--input-format must be jsonl or csv")
        }
    }

    func run() throws {
        let home = self.homeOptions.resolved
        let audit = try HomeAuditLog(home: home)
        // The file is verified beside the loading of the identity index and the checking of the input: the first
        // batch's commit waits for the verdict.
        var options = home.storeOptions()
        options.integrityCheck = .beforeFirstWrite
        let store = try Store.open(path: home.databaseFile, options: options)
        defer { try? store.close() }
        // Loaded beside the checking and reading of the first input: its first commit waits for it.
        let index = IdentityIndex.loading(from: store)
        defer { try? index.waitUntilLoaded() }  // before the store closes, even when the ingest failed early
        let ingestor = try Ingestor(
            store: store, keyring: audit.keyring, policy: audit.policy, index: index, audit: audit.log)
        var total = IngestSummary()
        for file in self.files {
            let format = self.inputFormat.flatMap(Ingestor.Format.init(rawValue:))
            let input = try file == "-" ? StandardInputCopy.make(format: format) : file
            defer { if file == "-" { try? FileManager.default.removeItem(atPath: input) } }
            let progress = ProgressBar(label: file == "-" ? "stdin" : URL(fileURLWithPath: file).lastPathComponent)
            let options = Ingestor.Options(
                format: format, kind: self.kind.flatMap(IngestKind.init(rawValue:)), source: self.source,
                batchSize: self.batchSize,
                idempotencyKey: self.idempotencyKey,
                rejectsPath: file == "-" ? "stdin.rejects.jsonl" : nil
            )
            let summary = try ingestor.ingest(path: input, options: options, progress: progress.update)
            progress.finish()
            total.add(summary)
        }
        try audit.log.close()
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(total), as: UTF8.self))
        } else {
            print(IngestReport.text(total))
        }
    }
}

/// The summary `ingest` prints for people.
enum IngestReport {
    static func text(_ summary: IngestSummary) -> String {
        var lines = [
            "accepted          \(summary.accepted)",
            "rejected          \(summary.rejected)",
            "suppressed        \(summary.suppressed)",
            "duplicates        \(summary.duplicates)",
            "subjects created  \(summary.subjectsCreated)",
            "subjects updated  \(summary.subjectsUpdated)",
        ]
        if summary.consentUpgradesRefused > 0 {
            lines.append("consent grants not applied (withdrawn before)  \(summary.consentUpgradesRefused)")
        }
        if summary.batchesAlreadyIngested > 0 {
            lines.append("already ingested  \(summary.batchesAlreadyIngested) of "
                + "\(summary.batchesAlreadyIngested + summary.batchesCommitted) batches (a replay: nothing changed)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Standard input saved to a temporary file, so it can be checked before anything is written.
enum StandardInputCopy {
    static func make(format: Ingestor.Format?) throws -> String {
        guard let format else {
            throw ValidationError("reading standard input needs --input-format jsonl or csv")
        }
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("cleanroom-stdin-\(UUID().uuidString).\(format.rawValue)").path
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot create a temporary file for standard input in \(path)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
        }
        try output.close()
        return path
    }
}

/// A progress bar on standard error (rows/s and ETA), shown only on a terminal.
final class ProgressBar {
    private let label: String
    private let start = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var shown = false

    init(label: String) {
        self.label = label
    }

    func update(rows: Int, total: Int) {
        guard self.isTerminal else { return }
        let seconds = max(0.001, Self.seconds(ContinuousClock.now - self.start))
        let rate = Double(rows) / seconds
        let fraction = total > 0 ? min(1, Double(rows) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let eta = rate > 0 && total > rows ? Int(Double(total - rows) / rate) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data(
            "\r\(self.label) [\(bar)] \(Int(fraction * 100))% \(rows) rows, \(Int(rate)) rows/s, ETA \(eta)s ".utf8))
        self.shown = true
    }

    func finish() {
        if self.shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
