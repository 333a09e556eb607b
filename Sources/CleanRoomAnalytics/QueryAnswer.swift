public import CleanRoomCore

/// What a query releases: every cell with its values or marked suppressed, the total, and the audit entry that
/// recorded it.
public struct QueryAnswer: Sendable, Equatable {
    /// One released line of the answer.
    public struct Cell: Sendable, Equatable {
        /// The cell's value of each dimension (`nil`: people without a value); empty for the total.
        public var labels: [String?]
        /// Whether the whole cell is suppressed (fewer than k people, or to protect another suppressed cell).
        public var isSuppressed: Bool
        /// The released value of each metric; a metric missing here while the cell is released is suppressed.
        public var values: [Policy.Metric: Double]

        /// The metrics of `metrics` this released cell withholds.
        public func suppressedMetrics(of metrics: [Policy.Metric]) -> [Policy.Metric] {
            self.isSuppressed ? metrics : metrics.filter { self.values[$0] == nil }
        }
    }

    /// The dimensions of the breakdown, in order.
    public var dimensions: [String]
    /// The metrics of every cell, in order.
    public var metrics: [Policy.Metric]
    /// The cells in breakdown order. A breakdown by a dimension without a declared domain (free text) lists only
    /// cells of at least k people; the others are together in ``other``.
    public var cells: [Cell]
    /// The people in unlisted small cells of a free-text breakdown, together; `nil` when there are none.
    public var other: Cell?
    /// Everyone counted.
    public var total: Cell
    /// The k the answer was released under.
    public var k: Int
    /// The audit entry that recorded the answer before it was returned.
    public var auditSequence: Int
    /// Where the time went.
    public var timings = ReleaseTimings()

    /// How many cells (and the total) are suppressed.
    public var suppressedCellCount: Int {
        (self.cells + [self.total] + (self.other.map { [$0] } ?? [])).filter(\.isSuppressed).count
    }
}
