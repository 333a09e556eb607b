public import CleanRoomCore
public import Foundation

/// An aggregate query, one shape for the command line and the HTTP API (JSON).
///
/// ```json
/// {
///   "purpose": "ads_measurement",
///   "segment": "champions",
///   "where": [{"attribute": "country", "in": ["DE", "AT"]}, {"event": "purchase", "within": "P90D"}],
///   "groupBy": ["age_band"],
///   "metrics": ["people", "amount_sum", "conversion_rate"],
///   "window": {"within": "P90D"}
/// }
/// ```
/// - `purpose`: only people with a valid basis for it at query time count (DESIGN.md section 6.1).
/// - `segment` / `where`: filters (all must hold); see ``Condition``.
/// - `groupBy`: attributes, or `"segment"` to break the answer down by the `segments` listed (each person in
///   the first one they belong to, else in `"(none)"`).
/// - `metrics`: see ``Policy/Metric``; event metrics count the events inside the window (and their retention).
/// - `window`: `{"within": "P90D"}` or `{"from": "…", "to": "…"}` (RFC 3339); default: all retained events.
/// - `conversionEvent`: the event type that counts as a conversion and a purchase for RFM (default `purchase`).
public struct Query: Sendable, Hashable {
    /// The purpose the answer serves.
    public var purpose: String
    /// A named segment every counted person belongs to, if set.
    public var segment: String?
    /// Conditions every counted person meets.
    public var conditions: [Condition]
    /// The dimensions of the breakdown (attribute names, or ``Query/segmentDimension``).
    public var groupBy: [String]
    /// The segments of a `"segment"` dimension, in order of precedence.
    public var segments: [String]
    /// The metrics of every cell.
    public var metrics: [Policy.Metric]
    /// The events the event metrics count.
    public var window: Window
    /// The event type counted as a conversion (and as the purchase of RFM metrics).
    public var conversionEvent: String

    /// The dimension name that breaks an answer down by segment.
    public static let segmentDimension = "segment"

    /// A query; by default a count of people.
    public init(
        purpose: String, segment: String? = nil, conditions: [Condition] = [], groupBy: [String] = [],
        segments: [String] = [], metrics: [Policy.Metric] = [.people], window: Window = .all,
        conversionEvent: String = "purchase"
    ) {
        self.purpose = purpose
        self.segment = segment
        self.conditions = conditions
        self.groupBy = groupBy
        self.segments = segments
        self.metrics = metrics
        self.window = window
        self.conversionEvent = conversionEvent
    }

    /// The events event metrics count.
    public enum Window: Sendable, Hashable {
        /// Every event still within its retention.
        case all
        /// Events within this period before the query's time.
        case within(Policy.Period)
        /// Events from `from` (inclusive) to `to` (exclusive).
        case between(from: Date, to: Date)
    }

    /// Reads a query from JSON.
    ///
    /// - Throws: ``AnalyticsError`` `invalidQuery` naming the field that is wrong.
    public static func decode(json: Data) throws(AnalyticsError) -> Query {
        do {
            return try JSONDecoder().decode(Query.self, from: json)
        } catch let error as DecodingError {
            throw AnalyticsError(decoding: error)
        } catch {
            throw AnalyticsError.invalid("the query is not valid JSON", field: "")
        }
    }
}

extension Query: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        try container.requireOnly(
            ["purpose", "segment", "where", "groupBy", "segments", "metrics", "window", "conversionEvent"],
            in: "a query")
        self.init(purpose: try container.decode("purpose"))
        self.segment = try container.decodeIfPresent("segment")
        self.conditions = try container.decodeIfPresent("where") ?? []
        self.groupBy = try container.decodeIfPresent("groupBy") ?? []
        self.segments = try container.decodeIfPresent("segments") ?? []
        self.conversionEvent = try container.decodeIfPresent("conversionEvent") ?? "purchase"
        if let names: [String] = try container.decodeIfPresent("metrics") {
            self.metrics = try names.map { name in
                guard let metric = Policy.Metric(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyKey("metrics"), in: container,
                        debugDescription: "no metric is called \(name) (known: "
                            + Policy.Metric.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                return metric
            }
        }
        self.window = try Self.window(in: container)
    }

    /// The `window` field of a request: all events when absent.
    static func window(in container: KeyedDecodingContainer<AnyKey>) throws -> Window {
        guard container.contains(AnyKey("window")) else { return .all }
        let window = try container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("window"))
        try window.requireOnly(["within", "from", "to"], in: "a window")
        if let within = try window.period("within") {
            return .within(within)
        }
        let from: Date = try Self.instant(window, "from")
        let to: Date = try Self.instant(window, "to")
        guard from < to else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("to"), in: window, debugDescription: "a window ends after it starts")
        }
        return .between(from: from, to: to)
    }

    private static func instant(_ container: KeyedDecodingContainer<AnyKey>, _ name: String) throws -> Date {
        let text: String = try container.decode(name)
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey(name), in: container, debugDescription: "not an RFC 3339 time such as 2026-03-01T00:00:00Z")
        }
        return date
    }
}

extension AnalyticsError {
    /// The error for a request that did not decode, naming the field by its path (`where[1].within`).
    init(decoding error: DecodingError) {
        let (path, reason): ([any CodingKey], String) =
            switch error {
            case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
            case .keyNotFound(let key, let context): (context.codingPath + [key], "the field is required")
            case .typeMismatch(let type, let context): (context.codingPath, "expected \(Self.kind(type))")
            case .valueNotFound(let type, let context): (context.codingPath, "expected \(Self.kind(type)), found null")
            @unknown default: ([], "the request is malformed")
            }
        var field = ""
        for key in path {
            if let index = key.intValue {
                field += "[\(index)]"
            } else if key.stringValue.hasPrefix("Index "), let index = Int(key.stringValue.dropFirst(6)) {
                field += "[\(index)]"
            } else {
                field += (field.isEmpty ? "" : ".") + key.stringValue
            }
        }
        self = .invalid(reason, field: field)
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default: "a value of another type"
        }
    }
}
