// The bare SQLite ceiling of `cleanroom ingest`: the rows an ingest wrote, copied into the same schema with the
// same connection settings and the same transactions, with no parsing, normalization or crypto, so that the
// gateway's throughput can be reported as a fraction of what SQLite alone allows on this machine.
//
// Usage: ingest-ceiling SOURCE_DB WORK_DIR --customer-lines N --event-lines M [--batch-lines 5000]
//        [--rows-per-insert 32]
// SOURCE_DB is a database `cleanroom ingest` wrote (customers file, then events file); N and M are the line
// counts of those files. Every row is read into memory first (untimed); then WORK_DIR/ceiling.sqlite is
// created afresh and the rows inserted, timed, one transaction per batch, consecutive rows of a table up to 32 per
// statement, as the ingest writes all its rows but the subjects and events.
// Prints one JSON line on stdout and a summary on stderr.
import CleanRoomStore
import Foundation

@main
enum IngestCeiling {
    static func main() {
        do {
            try self.run(CeilingOptions(arguments: Array(CommandLine.arguments.dropFirst())))
        } catch {
            self.report("ingest-ceiling: \(error)")
            exit(1)
        }
    }

    private static func run(_ options: CeilingOptions) throws {
        // CleanRoom's process-wide SQLite settings (multi-thread mode, no memory statistics), before any connection.
        Store.configureSQLite()
        let source = try self.openSource(options.source)
        let plan = try CeilingPlan(
            source: source,
            customerBatches: options.batches(of: options.customerLines),
            eventBatches: options.batches(of: options.eventLines)
        )
        try self.noteTablesLeftOut(of: source)
        let copy = try CeilingCopy(
            directory: options.workDirectory, schemaOf: source, tables: plan.tables, rowsPerInsert: options.rowsPerInsert)
        let customers = try copy.run(plan.customerTransactions)
        let events = try copy.run(plan.eventTransactions)

        let customerSeconds = self.seconds(customers)
        let eventSeconds = self.seconds(events)
        let customerRows = plan.customerTransactions.reduce(0) { $0 + $1.count }
        let eventRows = plan.eventTransactions.reduce(0) { $0 + $1.count }
        let customerRate = Double(options.customerLines) / customerSeconds
        let eventRate = Double(options.eventLines) / eventSeconds
        print(
            "{\"tool\":\"ingest-ceiling\",\"customer_lines\":\(options.customerLines),"
                + "\"event_lines\":\(options.eventLines),"
                + "\"customers_seconds\":\(String(format: "%.6f", customerSeconds)),"
                + "\"events_seconds\":\(String(format: "%.6f", eventSeconds)),"
                + "\"customers_per_s\":\(String(format: "%.1f", customerRate)),"
                + "\"events_per_s\":\(String(format: "%.1f", eventRate)),"
                + "\"rows_customers\":\(customerRows),\"rows_events\":\(eventRows),"
                + "\"rows_per_insert\":\(options.rowsPerInsert)}"
        )
        self.report(
            String(
                format: "ingest-ceiling: customers %d lines, %d rows in %d transactions, %.2f s (%.0f lines/s); "
                    + "events %d lines, %d rows in %d transactions, %.2f s (%.0f lines/s)",
                options.customerLines, customerRows, plan.customerTransactions.count, customerSeconds, customerRate,
                options.eventLines, eventRows, plan.eventTransactions.count, eventSeconds, eventRate
            )
        )
    }

    /// Opens the source read-only and checks that SQLite can read it.
    private static func openSource(_ path: String) throws -> SQLiteConnection {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CeilingError(code: .invalidSource, message: "there is no source database at \(path)")
        }
        do {
            let source = try SQLiteConnection(path: path, readOnly: true)
            _ = try source.rows("SELECT count(*) FROM sqlite_master")
            return source
        } catch {
            throw CeilingError(code: .invalidSource, message: "\(path) is not a readable SQLite database (\(error))")
        }
    }

    /// Says on stderr which tables of the source hold rows the copy does not write (an older or newer schema
    /// than the ceiling knows), since the ceiling then writes less than the ingest did.
    private static func noteTablesLeftOut(of source: SQLiteConnection) throws {
        let written = Set(CeilingPlan.customerTables + CeilingPlan.eventTables + [CeilingPlan.batchTable])
        let tables = try source.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
        for case .text(let name) in tables.map({ $0[0] })
        where !written.contains(name) && name != CeilingCopy.migrationsTable {
            let count = try source.rows("SELECT count(*) FROM \(SourceTable.quoted(name))").first?[0].integer ?? 0
            if count > 0 {
                self.report("ingest-ceiling: note: the source table \(name) holds \(count) rows the copy leaves out")
            }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    private static func report(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
