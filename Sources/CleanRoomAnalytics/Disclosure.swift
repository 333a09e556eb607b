internal import CleanRoomCore

/// The privacy contract of DESIGN.md section 6 applied to tallied cells: what may be released, and what must be
/// suppressed so that no group of fewer than k people can be read off or derived.
///
/// - **k-threshold**: a cell of fewer than k people is suppressed, empty ones included, so that "suppressed"
///   never tells 0 from a few. A metric is released only over at least k contributing people (people with an
///   amount for sums and averages, converters for RFM averages); a conversion rate only when converters and
///   non-converters are each none or at least k, since the rate times the people count gives both.
/// - **Secondary suppression**: the total equals the sum of the cells, so the suppressed cells together can be
///   derived from it; they must then hold none or at least k people (contributors, per metric). Otherwise the
///   smallest released cells are suppressed as well, and if none is left, the total.
/// - **Free-text breakdowns**: listing an empty or small cell would tell that such a value exists, so only cells
///   of at least k people are listed, and the rest are released together as one unlabelled "other" cell (itself
///   under the same rules).
struct Disclosure {
    let k: Int

    /// Releases `cells` (in breakdown order, labelled by `labels`) and their `total` for `metrics`.
    func release(
        _ tallies: [Tally], labels: [[String?]], listsEveryCell: Bool, metrics: [Policy.Metric]
    ) -> (cells: [QueryAnswer.Cell], other: QueryAnswer.Cell?, total: QueryAnswer.Cell) {
        var listed: [(labels: [String?], tally: Tally)] = []
        var other: Tally?
        for (position, tally) in tallies.enumerated() {
            if listsEveryCell || tally.people >= self.k {
                listed.append((labels[position], tally))
            } else if tally.people > 0 {
                other = (other ?? Tally()).adding(tally)
            }
        }
        let lines = listed.map(\.tally) + (other.map { [$0] } ?? [])
        let total = tallies.reduce(into: Tally()) { $0.add($1) }

        // Whole cells: by people.
        var suppressed = lines.map { $0.people < self.k }
        var totalSuppressed = total.people < self.k
        self.protect(&suppressed, &totalSuppressed, lines: lines, counts: [\.people])

        var cells = lines.indices.map { line in
            QueryAnswer.Cell(
                labels: line < listed.count ? listed[line].labels : [], isSuppressed: suppressed[line], values: [:])
        }
        var totalCell = QueryAnswer.Cell(labels: [], isSuppressed: totalSuppressed, values: [:])
        for metric in metrics {
            var withheld = lines.indices.map { suppressed[$0] || !self.releasable(metric, lines[$0]) }
            var totalWithheld = totalSuppressed || !self.releasable(metric, total)
            self.protect(&withheld, &totalWithheld, lines: lines, counts: Self.contributors(of: metric))
            for line in lines.indices where !withheld[line] {
                cells[line].values[metric] = Self.value(of: metric, lines[line])
            }
            if !totalWithheld { totalCell.values[metric] = Self.value(of: metric, total) }
        }
        let otherCell = other == nil ? nil : cells.removeLast()
        return (cells, otherCell, totalCell)
    }

    /// Whether one tally's `metric` rests on enough people.
    private func releasable(_ metric: Policy.Metric, _ tally: Tally) -> Bool {
        let enough = { (count: Int) in count == 0 || count >= self.k }
        switch metric {
        case .people, .events:
            return tally.people >= self.k
        case .amountSum, .amountAverage:
            return tally.amountPeople >= self.k
        case .conversionRate:
            return tally.people >= self.k && enough(tally.converters) && enough(tally.people - tally.converters)
        case .recencyDaysAverage, .frequencyAverage, .monetaryAverage:
            return tally.converters >= self.k
        }
    }

    /// The counts of people whose group must not be derivable for `metric`.
    private static func contributors(of metric: Policy.Metric) -> [(Tally) -> Int] {
        switch metric {
        case .people, .events: [\.people]
        case .amountSum, .amountAverage: [\.amountPeople]
        case .conversionRate: [\.converters, { $0.people - $0.converters }]
        case .recencyDaysAverage, .frequencyAverage, .monetaryAverage: [\.converters]
        }
    }

    /// Suppresses more lines (smallest first), or the total, until the withheld lines together hold none or at
    /// least k people by every one of `counts`.
    private func protect(
        _ withheld: inout [Bool], _ totalWithheld: inout Bool, lines: [Tally], counts: [(Tally) -> Int]
    ) {
        func exposed() -> Bool {
            counts.contains { count in
                let sum = lines.indices.filter { withheld[$0] }.reduce(0) { $0 + count(lines[$1]) }
                return sum > 0 && sum < self.k
            }
        }
        while !totalWithheld && exposed() {
            let candidates = lines.indices.filter { !withheld[$0] && lines[$0].people > 0 }
            guard let smallest = candidates.min(by: { lines[$0].people < lines[$1].people }) else {
                totalWithheld = true
                break
            }
            withheld[smallest] = true
        }
    }

    private static func value(of metric: Policy.Metric, _ tally: Tally) -> Double {
        let ratio = { (part: Double, whole: Int) in whole == 0 ? 0 : part / Double(whole) }
        return switch metric {
        case .people: Double(tally.people)
        case .events: Double(tally.events)
        case .amountSum: tally.amountSum
        case .amountAverage: ratio(tally.amountSum, tally.amountEvents)
        case .conversionRate: ratio(Double(tally.converters), tally.people)
        case .recencyDaysAverage: ratio(tally.recencyDaysSum, tally.converters)
        case .frequencyAverage: ratio(Double(tally.conversions), tally.converters)
        case .monetaryAverage: ratio(tally.conversionSpend, tally.converters)
        }
    }
}

extension Tally {
    func adding(_ other: Tally) -> Tally {
        var sum = self
        sum.add(other)
        return sum
    }
}
