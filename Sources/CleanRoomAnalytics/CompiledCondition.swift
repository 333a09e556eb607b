internal import CleanRoomCore
internal import Foundation
internal import CleanRoomStore

/// A ``Condition`` turned into codes and instants of one ``CohortIndex`` at one query time, ready to test rows.
enum CompiledCondition: Sendable {
    case attribute(column: Int, accepted: [Bool], negated: Bool, setSince: Int64)
    case event(CompiledEventCondition)

    /// Whether the person in `row` meets the condition.
    func holds(row: Int, in index: CohortIndex) -> Bool {
        switch self {
        case .attribute(let column, let accepted, let negated, let setSince):
            let code = Int(index.attributeCodes[column][row])
            let matches = code != 0 && index.attributeSetAt[column][row] >= setSince
                && code < accepted.count && accepted[code]
            return matches != negated
        case .event(let condition):
            return condition.holds(row: row, in: index)
        }
    }
}

/// An ``EventCondition`` in codes and instants (milliseconds).
struct CompiledEventCondition: Sendable {
    let type: UInt8
    /// The item every counted event holds (`UInt32.max`: an item nobody has), or `nil` for any.
    let item: UInt32?
    /// Counted events happened in `from ..< to`.
    let from: Int64
    let to: Int64
    let minCount: Int
    let maxCount: Int?
    let minAmount: Double?
    let maxAmount: Double?
    let lastAfter: Int64?
    let lastBefore: Int64?
    let firstAfter: Int64?

    func holds(row: Int, in index: CohortIndex) -> Bool {
        let start = Int(index.eventStart[row])
        var count = 0
        var amount = 0.0
        var first = Int64.max
        var last = Int64.min
        for event in start..<start + Int(index.eventCount[row]) where index.eventType[event] == self.type {
            let time = index.eventTime[event]
            guard time >= self.from, time < self.to else { continue }
            if let item = self.item {
                let itemStart = Int(index.eventItemStart[event])
                let held = index.items[itemStart..<itemStart + Int(index.eventItemCount[event])]
                guard held.contains(item) else { continue }
            }
            count += 1
            let value = index.eventAmount[event]
            if !value.isNaN { amount += value }
            first = min(first, time)
            last = max(last, time)
        }
        guard count >= self.minCount, self.maxCount.map({ count <= $0 }) ?? true else { return false }
        if let minAmount, amount < minAmount { return false }
        if let maxAmount, amount > maxAmount { return false }
        if let lastAfter, last < lastAfter { return false }
        if let lastBefore, count > 0, last >= lastBefore { return false }
        if let firstAfter, first < firstAfter { return false }
        return true
    }
}

/// Checks conditions against the policy and compiles them against an index.
enum ConditionCompiler {
    /// Checks that every attribute and event type named is declared, and that values fit the attribute.
    ///
    /// - Throws: ``AnalyticsError`` `invalidQuery` naming the field (under `field`).
    static func check(_ conditions: [Condition], policy: Policy, field: String) throws(AnalyticsError) {
        for (position, condition) in conditions.enumerated() {
            let at = "\(field)[\(position)]"
            switch condition {
            case .attribute(let condition):
                guard let attribute = policy.schema.attribute(named: condition.attribute) else {
                    throw .invalid("the policy declares no attribute \(condition.attribute)", field: at + ".attribute")
                }
                if case .enumeration(let values) = attribute.valueType,
                    let stranger = condition.values.first(where: { !values.contains($0) })
                {
                    throw .invalid(
                        "\(stranger) is not a value of \(attribute.name) (allowed: \(values.joined(separator: ", ")))",
                        field: at)
                }
            case .event(let condition):
                guard let type = policy.schema.eventType(named: condition.event) else {
                    throw .invalid("the policy declares no event type \(condition.event)", field: at + ".event")
                }
                if condition.item != nil && !type.allowsItems {
                    throw .invalid("events of type \(type.name) hold no items", field: at + ".item")
                }
                if (condition.minAmount != nil || condition.maxAmount != nil) && !type.allowsAmount {
                    throw .invalid("events of type \(type.name) carry no amount", field: at + ".minAmount")
                }
                if let maxCount = condition.maxCount, maxCount < condition.minCount {
                    throw .invalid("maxCount is below minCount", field: at + ".maxCount")
                }
            }
        }
    }

    /// Compiles checked conditions against `index` for a query at `time` (milliseconds), counting only events
    /// inside their type's retention (`typeCutoffs`) and attribute values inside theirs (`attributeCutoffs`).
    static func compile(
        _ conditions: [Condition], index: CohortIndex, at time: Date, typeCutoffs: [Int64], attributeCutoffs: [Int64]
    ) -> [CompiledCondition] {
        let before = { (period: Policy.Period) in period.subtracted(from: time).storedMilliseconds }
        return conditions.map { condition in
            switch condition {
            case .attribute(let condition):
                let column = index.attributeColumns[condition.attribute]!
                let dictionary = index.attributeValues[column]
                var accepted = Array(repeating: false, count: dictionary.count)
                for value in condition.values {
                    if let code = dictionary.code(of: value) { accepted[Int(code)] = true }
                }
                return .attribute(
                    column: column, accepted: accepted, negated: condition.negated,
                    setSince: attributeCutoffs[column])
            case .event(let condition):
                let type = Int(index.eventTypeCodes[condition.event]!)
                let retained = typeCutoffs[type]
                return .event(CompiledEventCondition(
                    type: UInt8(type),
                    item: condition.item.map { index.itemValues.code(of: $0) ?? .max },
                    from: max(retained, condition.within.map(before) ?? retained),
                    to: .max,
                    minCount: condition.minCount, maxCount: condition.maxCount,
                    minAmount: condition.minAmount, maxAmount: condition.maxAmount,
                    lastAfter: condition.lastWithin.map(before),
                    lastBefore: condition.lastBefore.map(before),
                    firstAfter: condition.firstWithin.map(before)))
            }
        }
    }
}
