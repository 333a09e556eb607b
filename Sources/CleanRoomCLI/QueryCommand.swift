import ArgumentParser
import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomStore
import Foundation

/// `cleanroom query`: an aggregate query, answered under the privacy contract and audited before it prints.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer an aggregate query as a principal, under the policy and the privacy contract.",
        discussion: """
            The query is a JSON file (--file; `-` reads standard input) or built from the flags; both have the shape \
            documented in README.md ("Queries"). Cells of fewer than k people print as suppressed. Every query, \
            answered or refused, is written to the audit log before anything is printed; the JSON answer names \
            its audit entry.

            Examples:
              cleanroom query --as alpina-outdoor --purpose ads_measurement --group-by country --metric people
              cleanroom query --as nordwind-analytics --purpose analytics --segment champions \\
                  --group-by age_band --metric people --metric amount_sum --within P90D --format table
              cleanroom query --as alpina-outdoor --file q.json --format csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table, csv
    }

    @OptionGroup var homeOptions: HomeOptions
    @Option(name: .customLong("as"), help: "The principal asking (policies/default.yaml, principals).")
    var principal: String
    @Option(help: ArgumentHelp("A query in JSON (`-`: standard input).", valueName: "file"))
    var file: String?
    @Option(help: "The purpose (with flags instead of --file).") var purpose: String?
    @Option(help: "A named segment every counted person belongs to.") var segment: String?
    @Option(name: .customLong("where"), help: ArgumentHelp("A condition as JSON, e.g. '{\"attribute\":\"country\",\"in\":[\"DE\"]}' (repeatable).", valueName: "json"))
    var conditions: [String] = []
    @Option(name: .customLong("group-by"), help: "An attribute (or `segment`) to break the answer down by (repeatable).")
    var groupBy: [String] = []
    @Option(name: .customLong("segments"), help: "The segments of a `segment` breakdown, in precedence order (repeatable).")
    var segments: [String] = []
    @Option(name: .customLong("metric"), help: "A metric (repeatable; default people).") var metrics: [String] = []
    @Option(help: ArgumentHelp("Count events within this ISO 8601 period before now, e.g. P90D.", valueName: "period"))
    var within: String?
    @Option(help: "json, table or csv.") var format: Format = .json

    func validate() throws {
        guard (self.file == nil) != (self.purpose == nil) else {
            throw ValidationError("give either --file or --purpose (with the other flags)")
        }
        if self.file != nil && !(self.conditions.isEmpty && self.groupBy.isEmpty && self.metrics.isEmpty
            && self.segment == nil && self.segments.isEmpty && self.within == nil)
        {
            throw ValidationError("--file holds the whole query; leave out the other query flags")
        }
    }

    func run() throws {
        let home = self.homeOptions.resolved
        let audit = try HomeAuditLog(home: home)
        defer { try? audit.log.close() }
        let segments = try SegmentCatalog.load(path: home.segmentsFile, policy: audit.policy)
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        let now = Date()
        let engine = try CohortEngine(store: store, policy: audit.policy, at: now)
        let analyst = Analyst(engine: engine, store: store, policy: audit.policy, segments: segments, audit: audit.log)
        let query: Query
        do {
            query = try self.query()
        } catch let error as AnalyticsError {
            throw try analyst.refuseUnreadable(error, as: self.principal)
        }
        let answer = try analyst.run(query, as: self.principal, at: now)
        switch self.format {
        case .json: print(answer.json.text)
        case .table: print(answer.table, terminator: "")
        case .csv: print(answer.csv, terminator: "")
        }
    }

    /// The query from --file, or built from the flags in the same JSON shape.
    private func query() throws -> Query {
        if let file = self.file {
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("cannot read the query file \(file)")
                }
                data = contents
            }
            return try Query.decode(json: data)
        }
        var fields: [String: Any] = ["purpose": self.purpose ?? ""]
        if let segment { fields["segment"] = segment }
        if !self.groupBy.isEmpty { fields["groupBy"] = self.groupBy }
        if !self.segments.isEmpty { fields["segments"] = self.segments }
        if !self.metrics.isEmpty { fields["metrics"] = self.metrics }
        if let within { fields["window"] = ["within": within] }
        if !self.conditions.isEmpty {
            fields["where"] = try self.conditions.enumerated().map { position, text in
                guard let condition = try? JSONSerialization.jsonObject(with: Data(text.utf8)), condition is [String: Any]
                else { throw ValidationError("--where number \(position + 1) is not a JSON object") }
                return condition
            }
        }
        return try Query.decode(json: try JSONSerialization.data(withJSONObject: fields))
    }
}
