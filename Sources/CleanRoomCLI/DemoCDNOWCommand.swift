public import ArgumentParser
import Foundation

/// `cleanroom demo cdnow`: converts the CDNOW purchase log into the ingest format.
public struct DemoCDNOWCommand: ParsableCommand {
    /// The name, help and discussion of `cleanroom demo cdnow`.
    public static let configuration = CommandConfiguration(
        commandName: "cdnow",
        abstract: "Convert the CDNOW purchase log into customers.jsonl and events.jsonl.",
        discussion: """
            Reads the CDNOW log (customer id, date YYYYMMDD, number of CDs, dollar amount per line, separated by \
            white space; a header line is skipped) and writes into the --out folder one customer record per \
            customer (customer_id cdnow-<id>, consent for analytics given at the first purchase, source cdnow) \
            and one purchase event per line: at noon UTC of its date (a further purchase on the same day one \
            second later each, so it stays a distinct event), the amount in USD, and one item `cdnow-cd` per CD, \
            since the log does not say which titles were bought. Lines that do not fit are skipped and reported \
            by line number and reason on standard error.
            """
    )

    /// The CDNOW log.
    @Argument(help: "The CDNOW log, e.g. cdnow_master.txt.")
    var file: String

    /// The output folder.
    @Option(help: "The folder to write into; created when missing. Files there of the same names are replaced.")
    var out: String

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}

    /// Converts the file and prints the summary on standard error.
    public func run() throws {
        guard let data = FileManager.default.contents(atPath: self.file) else {
            throw DemoError(.unreadableInput, "cannot read the CDNOW file; check that it exists and may be read")
        }
        let directory = try DemoOutputFolder.prepare(self.out)
        let summary = try DemoCDNOWConverter.convert([UInt8](data), into: directory)
        printToStandardError(summary.description)
    }
}

/// The `--out` folder of the demo commands.
enum DemoOutputFolder {
    /// Creates the folder `path` if missing and returns its URL; throws when it is a file or cannot be created.
    static func prepare(_ path: String) throws(DemoError) -> URL {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DemoError(.outputFolderUnusable, "--out names a file, not a folder; give a folder")
            }
            return url
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw DemoError(.outputFolderUnusable, "cannot create the --out folder; check the path and permissions")
        }
        return url
    }
}
