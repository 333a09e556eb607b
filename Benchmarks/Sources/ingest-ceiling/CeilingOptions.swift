/// The command line:
/// `ingest-ceiling SOURCE_DB WORK_DIR --customer-lines N --event-lines M [--batch-lines B] [--rows-per-insert R]`.
struct CeilingOptions {
    /// The database `cleanroom ingest` wrote, customers then events; opened read-only.
    var source: String
    /// The folder of the copy, `ceiling.sqlite`.
    var workDirectory: String
    /// The lines of the customers file the source was ingested from (they set the number of transactions).
    var customerLines: Int
    /// The lines of the events file.
    var eventLines: Int
    /// The input lines per ingest batch, one transaction each, as `cleanroom ingest` uses.
    var batchLines = 5000
    /// The most rows one statement inserts: consecutive rows of one table go together, as `cleanroom ingest`
    /// writes its consent entries, attributes, identifiers and keys (`DirectStatement.rowsPerInsert`); 1 inserts
    /// each row with a statement of its own.
    var rowsPerInsert = 32

    static let usage =
        "usage: ingest-ceiling SOURCE_DB WORK_DIR --customer-lines N --event-lines M [--batch-lines 5000] "
        + "[--rows-per-insert 32]"

    init(arguments: [String]) throws {
        var positional: [String] = []
        var counts: [String: Int] = [:]
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            guard ["--customer-lines", "--event-lines", "--batch-lines", "--rows-per-insert"].contains(argument) else {
                throw Self.error("unknown option \(argument)")
            }
            guard let text = remaining.popFirst(), let count = Int(text), count > 0 else {
                throw Self.error("\(argument) needs a whole number above zero")
            }
            counts[argument] = count
        }
        guard positional.count == 2 else {
            throw Self.error("give the source database and the work folder")
        }
        guard let customerLines = counts["--customer-lines"], let eventLines = counts["--event-lines"] else {
            throw Self.error("give --customer-lines and --event-lines (the `wc -l` of the two ingested files)")
        }
        self.source = positional[0]
        self.workDirectory = positional[1]
        self.customerLines = customerLines
        self.eventLines = eventLines
        self.batchLines = counts["--batch-lines"] ?? self.batchLines
        self.rowsPerInsert = counts["--rows-per-insert"] ?? self.rowsPerInsert
        guard self.rowsPerInsert <= 256 else {
            throw Self.error("--rows-per-insert is at most 256 (a statement's parameters are limited)")
        }
    }

    /// The number of batches, so of transactions, the ingest made of `lines` input lines.
    func batches(of lines: Int) -> Int {
        (lines + self.batchLines - 1) / self.batchLines
    }

    private static func error(_ reason: String) -> CeilingError {
        CeilingError(code: .usage, message: "\(reason)\n\(self.usage)")
    }
}
