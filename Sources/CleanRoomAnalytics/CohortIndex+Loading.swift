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
            // People without a ledger entry count for no consent purpose, but for every legitimate interest.
            let milliseconds = time.storedMilliseconds
            var decided = Array(repeating: false, count: index.rowCount)
            try transaction.consent.forEachHistory { subject, ledger in
                guard let row = index.row(of: subject) else { return }
                index.decide(row: row, ledger: ledger, at: milliseconds)
                decided[row] = true
            }
            for row in 0..<index.rowCount where !decided[row] {
                index.decide(row: row, ledger: [], at: milliseconds)
            }
            try index.loadEvents(transaction)
            return index
        }
    }

    /// Lays every event out person by person in two passes, without a second copy: the first counts each person's
    /// events, the second puts each event at its place; then each person's stretch is ordered by time.
    private mutating func loadEvents(_ transaction: StoreTransaction) throws {
        let types = self.eventTypeCodes
        var counts = Array(repeating: 0, count: self.rowCount + 1)
        try transaction.events.forEachSubjectAndType { subject, type in
            guard types[type] != nil, let row = self.row(of: subject) else { return }
            counts[row + 1] += 1
        }
        for row in 0..<self.rowCount { counts[row + 1] += counts[row] }
        let total = counts[self.rowCount]
        self.eventType = Array(repeating: 0, count: total)
        self.eventTime = Array(repeating: 0, count: total)
        self.eventAmount = Array(repeating: .nan, count: total)
        self.eventItemStart = Array(repeating: 0, count: total)
        self.eventItemCount = Array(repeating: 0, count: total)
        for row in 0..<self.rowCount {
            self.setEvents(row: row, start: counts[row], count: counts[row + 1] - counts[row])
        }
        var next = counts
        try transaction.events.scan { event in
            guard let type = types[event.type], let row = self.row(of: event.subject) else { return }
            let place = next[row]
            next[row] += 1
            self.eventType[place] = type
            self.eventTime[place] = event.occurredAt
            self.eventAmount[place] = event.amount ?? .nan
            self.eventItemStart[place] = UInt32(self.items.count)
            let codes = Set(event.items).sorted().map { self.itemValues.code(adding: $0) }
            self.items += codes
            self.eventItemCount[place] = UInt16(clamping: codes.count)
        }
        for row in 0..<self.rowCount {
            self.orderEventsByTime(counts[row]..<counts[row + 1])
        }
    }

    /// Orders one person's stretch of the arena by time (an insertion sort: stretches are short and mostly ordered).
    private mutating func orderEventsByTime(_ stretch: Range<Int>) {
        guard stretch.count > 1 else { return }
        for position in stretch.dropFirst() {
            var place = position
            while place > stretch.lowerBound && self.eventTime[place - 1] > self.eventTime[place] {
                self.eventType.swapAt(place - 1, place)
                self.eventTime.swapAt(place - 1, place)
                self.eventAmount.swapAt(place - 1, place)
                self.eventItemStart.swapAt(place - 1, place)
                self.eventItemCount.swapAt(place - 1, place)
                place -= 1
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
