public import CleanRoomCore
public import CleanRoomStore
public import Foundation

extension CohortIndex {
    /// Builds the index of everyone `store` holds, deciding purposes as of `time`, in one read transaction.
    public static func load(from store: Store, policy: Policy, at time: Date) throws -> CohortIndex {
        try store.read { transaction in
            var index = CohortIndex(policy: policy)
            try transaction.subjects.forEach { subject, createdAt in
                _ = index.row(adding: subject, createdAt: createdAt.storedMilliseconds)
            }
            try transaction.attributes.forEach { attribute in
                guard let row = index.row(of: attribute.subject) else { return }
                index.setAttribute(attribute.name, attribute.value, at: attribute.updatedAt.storedMilliseconds, row: row)
            }
            var ledgers: [Int: [StoredConsent]] = [:]
            try transaction.consent.forEach { entry in
                guard let row = index.row(of: entry.subject) else { return }
                ledgers[row, default: []].append(entry)
            }
            let milliseconds = time.storedMilliseconds
            for row in 0..<index.rowCount {
                index.decide(row: row, ledger: ledgers[row] ?? [], at: milliseconds)
            }
            try index.loadEvents(transaction)
            return index
        }
    }

    /// Reads every event, then lays them out person by person, each person's by time (a counting sort by row).
    private mutating func loadEvents(_ transaction: StoreTransaction) throws {
        var arrival = CohortIndex(policy: self.policy)
        var rows: [Int32] = []
        try transaction.events.forEach { event in
            guard let row = self.row(of: event.subject), arrival.appendEvent(event) else { return }
            rows.append(Int32(row))
        }
        var counts = Array(repeating: 0, count: self.rowCount + 1)
        for row in rows { counts[Int(row) + 1] += 1 }
        for row in 0..<self.rowCount { counts[row + 1] += counts[row] }
        var order = Array(repeating: 0, count: rows.count)
        var next = counts
        for (event, row) in rows.enumerated() {
            order[next[Int(row)]] = event
            next[Int(row)] += 1
        }
        self.itemValues = arrival.itemValues
        for row in 0..<self.rowCount {
            let stretch = order[counts[row]..<counts[row + 1]].sorted {
                (arrival.eventTime[$0], $0) < (arrival.eventTime[$1], $1)
            }
            self.setEvents(row: row, start: self.eventType.count, count: stretch.count)
            for event in stretch {
                self.copyEvent(event, from: arrival)
            }
        }
    }

    /// Reads one person from the store: `nil` when they are no longer held.
    static func person(_ subject: SubjectID, in transaction: StoreTransaction) throws -> Person? {
        guard let createdAt = try transaction.subjects.createdAt(of: subject) else { return nil }
        return Person(
            subject: subject, createdAt: createdAt,
            attributes: try transaction.attributes.attributes(of: subject),
            events: try transaction.events.events(of: subject),
            ledger: try transaction.consent.history(of: subject))
    }
}
