import ArgumentParser
import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomStore
import Foundation

/// `cleanroom rules`: k-anonymous association rules over the items people bought.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Mine association rules (support, confidence, lift) over people's purchases, released k-anonymously.",
        discussion: """
            Each person of the purpose's cohort is one basket: the distinct items of their purchases. A rule A → B is \
            released only when A, B and A ∪ B are each bought by at least max(k, min-support × people) people and no \
            combination of the released numbers singles out fewer than k people (those rules are counted as \
            withheld). With --item, the answer is "people who bought ITEM also bought …". Audited before it prints.

            Example:
              cleanroom rules --as nordwind-analytics --purpose analytics --min-support 0.01 --min-confidence 0.2
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    @OptionGroup var homeOptions: HomeOptions
    @Option(name: .customLong("as"), help: "The principal asking (policies/default.yaml, principals).")
    var principal: String
    @Option(help: "The purpose.") var purpose: String
    @Option(name: .customLong("min-support"), help: "The least share of people behind a rule, above 0 and at most 1.")
    var minimumSupport: Double
    @Option(name: .customLong("min-confidence"), help: "The least confidence of a rule, 0 to 1.")
    var minimumConfidence: Double
    @Option(name: .customLong("max-length"), help: "The most items in a rule, 2 to 6.") var maximumLength = 3
    @Option(help: "Recommendations for this item only: rules {ITEM} → {other}.") var item: String?
    @Option(help: ArgumentHelp("Only purchases within this ISO 8601 period before now, e.g. P1Y.", valueName: "period"))
    var within: String?
    @Option(help: "json or table.") var format: Format = .table

    func run() throws {
        let home = self.homeOptions.resolved
        let audit = try HomeAuditLog(home: home)
        defer { try? audit.log.close() }
        var window = Query.Window.all
        if let within = self.within {
            guard let period = Policy.Period(iso8601: within) else {
                throw ValidationError("--within takes an ISO 8601 period such as P90D or P1Y")
            }
            window = .within(period)
        }
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        let now = Date()
        let engine = try CohortEngine(store: store, policy: audit.policy, at: now)
        let segments = try SegmentCatalog.load(path: home.segmentsFile, policy: audit.policy)
        let analyst = Analyst(engine: engine, store: store, policy: audit.policy, segments: segments, audit: audit.log)
        let answer = try analyst.rules(
            RulesRequest(
                purpose: self.purpose, minimumSupport: self.minimumSupport, minimumConfidence: self.minimumConfidence,
                maximumLength: self.maximumLength, item: self.item, window: window),
            as: self.principal, at: now)
        switch self.format {
        case .json: print(answer.json.text)
        case .table: print(answer.table, terminator: "")
        }
    }
}
