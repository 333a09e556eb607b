internal import CleanRoomCore
internal import Foundation
internal import CleanRoomStore

/// A query checked against the policy and the principal, and compiled against one index at one time.
struct QueryPlan: Sendable {
    /// A breakdown dimension: how a row maps to a position, and the label of each position (`nil`: no value).
    struct Dimension: Sendable {
        /// Where a row's position comes from.
        enum Source: Sendable {
            /// An attribute column: the position of each value code; values set before `setSince` (past retention)
            /// and people without a value go to the last position.
            case attribute(column: Int, positionOfCode: [Int32], setSince: Int64)
            /// The first segment (by its conditions) the person belongs to; the last position for none.
            case segments([[CompiledCondition]])
        }

        let name: String
        let labels: [String?]
        /// Whether the labels are the attribute's declared domain (every position listed, even empty ones) or the
        /// values people happen to have (open: only cells with enough people are labelled).
        let isOpen: Bool
        let source: Source
    }

    let query: Query
    let purposeIndex: Int
    let filters: [CompiledCondition]
    let dimensions: [Dimension]
    let cellCount: Int
    let now: Int64
    /// Events counted by metrics happened in `windowFrom ..< windowTo` (and inside their retention).
    let windowFrom: Int64
    let windowTo: Int64
    let typeCutoffs: [Int64]
    let attributeCutoffs: [Int64]
    /// A person created since this time counts even without data (the retention sweep keeps them too).
    let keptWithoutDataSince: Int64
    let conversionType: UInt8
    let contributionCap: Double?
    /// The rows the scan is restricted to (an audience's matched people), on top of the purpose's; `nil`: none.
    let restriction: SubjectSet?

    /// Whether any metric reads events (`people` alone does not).
    var needsEvents: Bool {
        self.query.metrics.contains { $0 != .people }
    }

    /// The most cells one answer may have.
    static let maximumCells = 100_000

    /// Checks that `principal` may ask anything at all for `purpose`: an owner or partner, a declared purpose, one
    /// of the principal's. Queries and rules requests share it.
    ///
    /// - Throws: ``AnalyticsError`` `forbidden` (`role.query`, `principal.purpose`) or `invalidQuery` (`purpose`).
    static func checkQuerying(_ purpose: String, principal: Policy.Principal, policy: Policy) throws(AnalyticsError) {
        guard principal.role == .owner || principal.role == .partner else {
            throw .forbidden("a principal with role \(principal.role.rawValue) runs no queries", rule: "role.query")
        }
        guard policy.purpose(named: purpose) != nil else {
            throw .invalid("the policy declares no purpose \(purpose)", field: "purpose")
        }
        guard principal.purposes.contains(purpose) else {
            throw .forbidden("\(principal.name) may not query for \(purpose)", rule: "principal.purpose")
        }
    }

    /// Checks `query` for `principal` under `policy` and `segments`.
    ///
    /// - Throws: ``AnalyticsError`` `invalidQuery` (with the field) or `forbidden` (with the policy rule).
    static func check(
        _ query: Query, principal: Policy.Principal, policy: Policy, segments: SegmentCatalog
    ) throws(AnalyticsError) {
        try Self.checkQuerying(query.purpose, principal: principal, policy: policy)
        guard !query.metrics.isEmpty, Set(query.metrics).count == query.metrics.count else {
            throw .invalid("name each metric once, at least one", field: "metrics")
        }
        if let metric = query.metrics.first(where: { !principal.metrics.contains($0) }) {
            throw .forbidden("\(principal.name) may not compute \(metric.rawValue)", rule: "principal.metric")
        }
        guard let conversion = policy.schema.eventType(named: query.conversionEvent) else {
            throw .invalid("the policy declares no event type \(query.conversionEvent)", field: "conversionEvent")
        }
        if !conversion.allowsAmount, query.metrics.contains(.monetaryAverage) {
            throw .invalid("events of type \(conversion.name) carry no amount", field: "conversionEvent")
        }
        try ConditionCompiler.check(query.conditions, policy: policy, field: "where")
        for (position, condition) in query.conditions.enumerated() {
            if case .attribute(let attribute) = condition, !principal.dimensions.contains(attribute.attribute) {
                throw .forbidden(
                    "\(principal.name) may not filter by \(attribute.attribute) (where[\(position)])",
                    rule: "principal.dimension")
            }
        }
        var named = query.segment.map { [$0] } ?? []
        guard Set(query.groupBy).count == query.groupBy.count else {
            throw .invalid("a dimension is named twice", field: "groupBy")
        }
        for dimension in query.groupBy {
            if dimension == Query.segmentDimension {
                guard !query.segments.isEmpty else {
                    throw .invalid("a breakdown by segment lists its segments in \"segments\"", field: "segments")
                }
                named += query.segments
            } else {
                guard policy.schema.attribute(named: dimension) != nil else {
                    throw .invalid("the policy declares no attribute \(dimension)", field: "groupBy")
                }
                guard principal.dimensions.contains(dimension) else {
                    throw .forbidden("\(principal.name) may not group by \(dimension)", rule: "principal.dimension")
                }
            }
        }
        if !query.segments.isEmpty && !query.groupBy.contains(Query.segmentDimension) {
            throw .invalid("\"segments\" lists the segments of a \"segment\" dimension in groupBy", field: "segments")
        }
        for name in named {
            guard segments.segment(named: name) != nil else {
                throw .invalid("no segment is called \(name) in policies/segments.yaml", field: "segment")
            }
            guard principal.segments.contains(name) else {
                throw .forbidden("\(principal.name) may not use the segment \(name)", rule: "principal.segment")
            }
        }
    }

    /// Compiles a checked query against `index` at `time`, its scan restricted to the rows of `restriction` if set.
    ///
    /// - Throws: ``AnalyticsError`` `invalidQuery` when the breakdown would have too many cells.
    static func compile(
        _ query: Query, index: CohortIndex, segments: SegmentCatalog, at time: Date,
        restrictedTo restriction: SubjectSet? = nil
    ) throws(AnalyticsError) -> QueryPlan {
        let policy = index.policy
        let schema = policy.schema
        let cutoff = { (category: String) -> Int64 in
            schema.category(named: category).map { $0.retention.subtracted(from: time).storedMilliseconds } ?? .max
        }
        let typeCutoffs = schema.eventTypes.map { cutoff($0.category) }
        let attributeCutoffs = schema.attributes.map { cutoff($0.category) }
        let compile = { (conditions: [Condition]) in
            ConditionCompiler.compile(
                conditions, index: index, at: time, typeCutoffs: typeCutoffs, attributeCutoffs: attributeCutoffs)
        }
        var filters = compile(query.conditions)
        if let name = query.segment, let segment = segments.segment(named: name) {
            filters += compile(segment.conditions)
        }
        let dimensions = query.groupBy.map { name -> Dimension in
            if name == Query.segmentDimension {
                let members = query.segments.map { compile(segments.segment(named: $0)?.conditions ?? []) }
                return Dimension(
                    name: name, labels: query.segments + [Self.noSegment], isOpen: false, source: .segments(members))
            }
            let column = index.attributeColumns[name]!
            return Self.attributeDimension(schema.attributes[column], column: column, index: index,
                                           setSince: attributeCutoffs[column])
        }
        let cellCount = dimensions.reduce(1) { $0.multipliedReportingOverflow(by: $1.labels.count).partialValue }
        guard cellCount <= Self.maximumCells, cellCount > 0 else {
            throw .invalid(
                "the breakdown would have more than \(Self.maximumCells) cells; group by fewer dimensions",
                field: "groupBy")
        }
        let now = time.storedMilliseconds
        let (windowFrom, windowTo): (Int64, Int64) =
            switch query.window {
            case .all: (.min, .max)
            case .within(let period): (period.subtracted(from: time).storedMilliseconds, .max)
            case .between(let from, let to): (from.storedMilliseconds, to.storedMilliseconds)
            }
        let longest = schema.categories.map { $0.retention.subtracted(from: time).storedMilliseconds }.min() ?? now
        return QueryPlan(
            query: query, purposeIndex: index.purposeIndex(query.purpose)!, filters: filters,
            dimensions: dimensions, cellCount: cellCount, now: now, windowFrom: windowFrom, windowTo: windowTo,
            typeCutoffs: typeCutoffs, attributeCutoffs: attributeCutoffs, keptWithoutDataSince: longest,
            conversionType: index.eventTypeCodes[query.conversionEvent]!,
            contributionCap: policy.privacy.contributionCap, restriction: restriction)
    }

    /// The label of the cell of people in none of a breakdown's segments.
    static let noSegment = "(none)"

    /// An attribute dimension: its declared values (plus "no value") when the type has a small domain, else the
    /// values held.
    private static func attributeDimension(
        _ attribute: Policy.Attribute, column: Int, index: CohortIndex, setSince: Int64
    ) -> Dimension {
        let dictionary = index.attributeValues[column]
        let domain: [String]?
        switch attribute.valueType {
        case .enumeration(let values): domain = values
        case .boolean: domain = ["false", "true"]
        case .integer(let minimum?, let maximum?) where maximum - minimum < 1000:
            domain = (minimum...maximum).map(String.init)
        case .integer, .string: domain = nil
        }
        let labels: [String?] = (domain ?? Array(dictionary.texts.dropFirst())) + [nil]
        let missing = labels.count - 1
        // Position of each code: its place in the domain (a value outside it, from an older policy, has none).
        var positions = Array(repeating: missing, count: dictionary.count)
        for code in 1..<max(1, dictionary.count) {
            let text = dictionary.text(of: UInt32(code))
            positions[code] = domain.map { $0.firstIndex(of: text) ?? missing } ?? (code - 1)
        }
        return Dimension(
            name: attribute.name, labels: labels, isOpen: domain == nil,
            source: .attribute(column: column, positionOfCode: positions.map(Int32.init), setSince: setSince))
    }
}
