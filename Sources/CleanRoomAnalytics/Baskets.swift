internal import CleanRoomCore
internal import CleanRoomStore
internal import Foundation

/// The transactions association rules are mined from: one per person of the purpose's cohort, the distinct items
/// of their events of one type inside the window and the events' retention.
struct Baskets {
    /// Each person's distinct item codes, ascending.
    var transactions: [[UInt32]] = []
    /// The index row of each transaction's person.
    var rows: [Int] = []

    init(_ request: RulesRequest, index: CohortIndex, at time: Date) {
        let schema = index.policy.schema
        guard let purpose = index.purposeIndex(request.purpose),
            let code = index.eventTypeCodes[request.eventType],
            let category = schema.category(named: schema.eventTypes[Int(code)].category)
        else { return }
        let retained = category.retention.subtracted(from: time).storedMilliseconds
        let (from, to): (Int64, Int64) =
            switch request.window {
            case .all: (retained, .max)
            case .within(let period): (max(retained, period.subtracted(from: time).storedMilliseconds), .max)
            case .between(let start, let end): (max(retained, start.storedMilliseconds), end.storedMilliseconds)
            }
        index.present.intersection(index.allowed[purpose]).forEach { row in
            var items: Set<UInt32> = []
            let start = Int(index.eventStart[row])
            for event in start..<start + Int(index.eventCount[row]) where index.eventType[event] == code {
                let time = index.eventTime[event]
                guard time >= from, time < to else { continue }
                let itemStart = Int(index.eventItemStart[event])
                items.formUnion(index.items[itemStart..<itemStart + Int(index.eventItemCount[event])])
            }
            guard !items.isEmpty else { return }
            self.transactions.append(items.sorted())
            self.rows.append(row)
        }
    }
}
