public import CleanRoomCore
public import Foundation

/// A request for association rules over the items people bought (``Analyst/rules(_:as:at:)``).
///
/// Each person of the purpose's cohort with at least one item is one transaction: the distinct items of their
/// events of `eventType` inside the window (and the events' retention). Support is counted in distinct people.
public struct RulesRequest: Sendable, Hashable {
    /// The purpose the answer serves.
    public var purpose: String
    /// The least share of people (0 < s ≤ 1) behind a rule's items together; never fewer than k people.
    public var minimumSupport: Double
    /// The least confidence (0 ≤ c ≤ 1) of a released rule.
    public var minimumConfidence: Double
    /// The most items in a rule, antecedent and consequent together (2 to 6).
    public var maximumLength: Int
    /// Recommendations for one item only: rules `{item} → {other}`, by confidence ("people who bought X also
    /// bought Y"); `nil` for every rule.
    public var item: String?
    /// The events whose items count.
    public var window: Query.Window
    /// The event type whose items make the baskets.
    public var eventType: String

    /// A request; by default rules of up to 3 items over every retained purchase.
    public init(
        purpose: String, minimumSupport: Double, minimumConfidence: Double, maximumLength: Int = 3,
        item: String? = nil, window: Query.Window = .all, eventType: String = "purchase"
    ) {
        self.purpose = purpose
        self.minimumSupport = minimumSupport
        self.minimumConfidence = minimumConfidence
        self.maximumLength = maximumLength
        self.item = item
        self.window = window
        self.eventType = eventType
    }

    /// The request in canonical JSON, as written into its audit entry.
    public var canonicalJSON: CanonicalJSON {
        var fields: [String: CanonicalJSON] = [
            "purpose": .string(self.purpose), "minSupport": .number(self.minimumSupport),
            "minConfidence": .number(self.minimumConfidence), "maxLength": .integer(self.maximumLength),
            "eventType": .string(self.eventType),
        ]
        fields["item"] = self.item.map(CanonicalJSON.string)
        fields["window"] = self.window.canonicalJSON
        return .object(fields)
    }

    /// Checks the request for `principal` under `policy`.
    ///
    /// - Throws: ``AnalyticsError`` `invalidQuery` (with the field) or `forbidden` (with the rule).
    func check(principal: Policy.Principal, policy: Policy) throws(AnalyticsError) {
        try QueryPlan.checkQuerying(self.purpose, principal: principal, policy: policy)
        guard self.minimumSupport > 0, self.minimumSupport <= 1 else {
            throw .invalid("the minimum support is a share of people, above 0 and at most 1", field: "minSupport")
        }
        guard (0...1).contains(self.minimumConfidence) else {
            throw .invalid("the minimum confidence is from 0 to 1", field: "minConfidence")
        }
        guard (2...6).contains(self.maximumLength) else {
            throw .invalid("a rule holds 2 to 6 items", field: "maxLength")
        }
        guard let type = policy.schema.eventType(named: self.eventType), type.allowsItems else {
            throw .invalid("the policy declares no event type \(self.eventType) with items", field: "eventType")
        }
    }
}

/// Released association rules: each backed by at least k people, with no inference channel to a smaller group.
public struct RulesAnswer: Sendable, Equatable {
    /// One released rule `antecedent → consequent`.
    public struct Rule: Sendable, Equatable {
        /// The items the rule starts from.
        public var antecedent: [String]
        /// The items it predicts.
        public var consequent: [String]
        /// The share of people who bought all of its items.
        public var support: Double
        /// The share of the antecedent's buyers who also bought the consequent.
        public var confidence: Double
        /// The confidence over the consequent's share of all people (above 1: bought together more than by chance).
        public var lift: Double
    }

    /// The people whose baskets were mined (the transactions); `nil` (suppressed) when fewer than k.
    public var people: Int?
    /// The released rules, by confidence, then support, descending.
    public var rules: [Rule]
    /// Rules that met the thresholds but were withheld because, with the others, they would reveal a group of
    /// fewer than k people.
    public var withheld: Int
    /// The k the answer was released under.
    public var k: Int
    /// The audit entry that recorded the answer before it was returned.
    public var auditSequence: Int
    /// Where the time went.
    public var timings = ReleaseTimings()

    /// The answer as JSON.
    public var json: CanonicalJSON {
        guard case .object(var fields) = self.contentJSON else { return self.contentJSON }
        fields["audit_sequence"] = .integer(self.auditSequence)
        return .object(fields)
    }

    /// The answer without its audit sequence: what the audit entry's result digest is taken over.
    var contentJSON: CanonicalJSON {
        .object([
            "people": self.people.map(CanonicalJSON.integer) ?? .object(["suppressed": .bool(true)]), "k": .integer(self.k), "withheld": .integer(self.withheld),
            "rules": .array(self.rules.map { rule in
                .object([
                    "antecedent": .array(rule.antecedent.map(CanonicalJSON.string)),
                    "consequent": .array(rule.consequent.map(CanonicalJSON.string)),
                    "support": QueryAnswer.number(rule.support), "confidence": QueryAnswer.number(rule.confidence),
                    "lift": QueryAnswer.number(rule.lift),
                ])
            }),
        ])
    }

    /// The answer as an aligned text table.
    public var table: String {
        let header = ["antecedent", "consequent", "support", "confidence", "lift"]
        let rows = self.rules.map { rule in
            [rule.antecedent.joined(separator: " + "), rule.consequent.joined(separator: " + "),
             String(format: "%.4f", rule.support), String(format: "%.4f", rule.confidence), String(format: "%.3f", rule.lift)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        var text = ([header] + rows).map { row in
            zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
        text += "\n\n\(self.rules.count) rules over \(self.people.map(String.init) ?? "fewer than k") people (k = \(self.k); \(self.withheld) withheld); "
            + "audit entry \(self.auditSequence)\n"
        return text
    }
}

extension RulesRequest: Decodable {
    /// Reads a request from JSON: `{"purpose", "minSupport", "minConfidence", "maxLength"?, "item"?, "window"?,
    /// "eventType"?}`, the window as in a ``Query``.
    ///
    /// - Throws: ``AnalyticsError`` `invalidQuery` naming the field that is wrong.
    public static func decode(json: Data) throws(AnalyticsError) -> RulesRequest {
        do {
            return try JSONDecoder().decode(RulesRequest.self, from: json)
        } catch let error as DecodingError {
            throw AnalyticsError(decoding: error)
        } catch {
            throw AnalyticsError.invalid("the request is not valid JSON", field: "")
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        try container.requireOnly(
            ["purpose", "minSupport", "minConfidence", "maxLength", "item", "window", "eventType"], in: "a rules request")
        self.init(
            purpose: try container.decode("purpose"), minimumSupport: try container.decode("minSupport"),
            minimumConfidence: try container.decode("minConfidence"))
        self.maximumLength = try container.decodeIfPresent("maxLength") ?? 3
        self.item = try container.decodeIfPresent("item")
        self.eventType = try container.decodeIfPresent("eventType") ?? "purchase"
        self.window = try Query.window(in: container)
    }
}
