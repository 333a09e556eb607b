public import CleanRoomCore

/// One filter a person must pass, in a query's `where` or a segment's definition (all of a list must hold).
///
/// In JSON (and in `policies/segments.yaml`) a condition is an object with either `attribute` or `event`:
/// ```json
/// {"attribute": "country", "in": ["DE", "AT"]}
/// {"attribute": "loyalty_tier", "equals": "gold"}
/// {"attribute": "city", "notIn": ["Hamburg"]}
/// {"event": "purchase", "item": "sku-1", "within": "P90D", "minCount": 2, "minAmount": 100}
/// {"event": "purchase", "within": "P365D", "maxCount": 0}
/// {"event": "purchase", "lastBefore": "P90D"}
/// ```
public enum Condition: Sendable, Hashable {
    /// The person's value of an attribute is (or, negated, is not) one of some values; a person without the
    /// attribute passes only a negated condition.
    case attribute(AttributeCondition)
    /// The person's events of one type (optionally holding an item, optionally within a period before the
    /// query's time) meet count, amount and timing bounds.
    case event(EventCondition)
}

/// A condition on an attribute's value.
public struct AttributeCondition: Sendable, Hashable {
    /// The attribute's name.
    public var attribute: String
    /// The values compared with, as text (`"true"`, `"3"` for booleans and integers).
    public var values: [String]
    /// Whether the person must have none of the values (`notIn`) instead of one of them (`equals`, `in`).
    public var negated: Bool

    /// A condition on `attribute`.
    public init(attribute: String, values: [String], negated: Bool = false) {
        self.attribute = attribute
        self.values = values
        self.negated = negated
    }
}

/// A condition on a person's events of one type.
public struct EventCondition: Sendable, Hashable {
    /// The event type.
    public var event: String
    /// Only events holding this item count, if set.
    public var item: String?
    /// Only events within this period before the query's time count, if set.
    public var within: Policy.Period?
    /// The fewest counted events (default 1).
    public var minCount: Int
    /// The most counted events, if set (`0` with `within`: "none in that period").
    public var maxCount: Int?
    /// The least total amount of the counted events, if set.
    public var minAmount: Double?
    /// The most total amount of the counted events, if set.
    public var maxAmount: Double?
    /// The latest counted event happened within this period before the query's time (recency), if set.
    public var lastWithin: Policy.Period?
    /// The latest counted event happened longer ago than this period (lapsing), if set.
    public var lastBefore: Policy.Period?
    /// The earliest counted event happened within this period (a new customer), if set.
    public var firstWithin: Policy.Period?

    /// A condition on events of type `event`; by default "at least one".
    public init(
        event: String, item: String? = nil, within: Policy.Period? = nil, minCount: Int = 1, maxCount: Int? = nil,
        minAmount: Double? = nil, maxAmount: Double? = nil, lastWithin: Policy.Period? = nil,
        lastBefore: Policy.Period? = nil, firstWithin: Policy.Period? = nil
    ) {
        self.event = event
        self.item = item
        self.within = within
        self.minCount = minCount
        self.maxCount = maxCount
        self.minAmount = minAmount
        self.maxAmount = maxAmount
        self.lastWithin = lastWithin
        self.lastBefore = lastBefore
        self.firstWithin = firstWithin
    }
}
