/// One row to insert: a table of ``CeilingPlan/tables`` and one of its rows.
struct PlannedInsert {
    var table: Int
    var row: Int
}

/// The inserts of the customers phase and of the events phase, one array per transaction, laid out before the
/// clock starts so that the timed loop only binds and steps.
struct CeilingPlan {
    /// The tables the source holds, in insert order within a transaction (parents before children).
    private(set) var tables: [SourceTable] = []
    private(set) var customerTransactions: [[PlannedInsert]] = []
    private(set) var eventTransactions: [[PlannedInsert]] = []

    /// The customers phase: a subject's rows, in the order of ``customerTables``, go with the subject.
    static let customerTables = [
        "subjects", "data_keys", "identifiers", "subject_attributes", "consent_ledger",
    ]
    /// The events phase: each event, then its items.
    static let eventTables = [eventTable, itemTable]
    static let eventTable = "events"
    static let itemTable = "event_items"
    /// One row per transaction, as the ingest records each committed batch.
    static let batchTable = "ingest_batches"

    /// Reads the tables of the plan from `source` and splits their rows into `customerBatches` and
    /// `eventBatches` transactions.
    init(source: SQLiteConnection, customerBatches: Int, eventBatches: Int) throws {
        var customers: [Int] = []
        for name in Self.customerTables {
            if let table = try SourceTable.load(name, from: source) {
                customers.append(self.add(table))
            }
        }
        let events = try SourceTable.load(Self.eventTable, from: source).map { self.add($0) }
        let items = try SourceTable.load(Self.itemTable, from: source).map { self.add($0) }
        guard !customers.isEmpty || events != nil else {
            throw CeilingError(
                code: .invalidSource,
                message: "the source database has none of the tables an ingest writes (subjects, events, …); "
                    + "give a database written by `cleanroom ingest`"
            )
        }
        self.customerTransactions = try self.customerPhase(customers, batches: customerBatches)
        self.eventTransactions = try self.eventPhase(events: events, items: items, batches: eventBatches)
        if let batches = try SourceTable.load(Self.batchTable, from: source) {
            self.addBatchRows(self.add(batches))
        }
    }

    /// Keeps `table` and returns its index in ``tables``.
    private mutating func add(_ table: SourceTable) -> Int {
        self.tables.append(table)
        return self.tables.count - 1
    }

    /// `count` items split into `parts` contiguous ranges whose sizes differ by at most one.
    static func evenRanges(count: Int, parts: Int) -> [Range<Int>] {
        (0..<parts).map { part in (count * part / parts)..<(count * (part + 1) / parts) }
    }

    /// The subjects split into `batches` contiguous id ranges of equal count; every row of the other tables
    /// goes into the transaction of its `subject_id`'s range, in the table's key order.
    private func customerPhase(_ tables: [Int], batches: Int) throws -> [[PlannedInsert]] {
        var transactions = Array(repeating: [PlannedInsert](), count: batches)
        let subjects = tables.first { self.tables[$0].name == "subjects" }
        // The largest subject id of each range (an empty range repeats the one before it), ascending.
        var bounds: [Int64] = []
        if let subjects {
            let ids = try self.linkColumn("id", of: subjects)
            var bound = Int64.min
            for range in Self.evenRanges(count: ids.count, parts: batches) {
                bound = range.isEmpty ? bound : ids[range.upperBound - 1]
                bounds.append(bound)
            }
        }
        for table in tables {
            let owners = try self.linkColumn(table == subjects ? "id" : "subject_id", of: table)
            for (row, owner) in owners.enumerated() {
                let transaction = min(bounds.partitioningIndex { $0 >= owner }, batches - 1)
                transactions[transaction].append(PlannedInsert(table: table, row: row))
            }
        }
        return transactions
    }

    /// The events split into `batches` contiguous ranges of equal count; each event is followed by its items.
    private func eventPhase(events: Int?, items: Int?, batches: Int) throws -> [[PlannedInsert]] {
        guard let events else { return Array(repeating: [], count: batches) }
        var itemsOfEvent: [Int64: [PlannedInsert]] = [:]
        if let items {
            for (row, event) in try self.linkColumn("event_id", of: items).enumerated() {
                itemsOfEvent[event, default: []].append(PlannedInsert(table: items, row: row))
            }
        }
        let ids = try self.linkColumn("id", of: events)
        return Self.evenRanges(count: ids.count, parts: batches).map { range in
            var inserts: [PlannedInsert] = []
            for row in range {
                inserts.append(PlannedInsert(table: events, row: row))
                inserts += itemsOfEvent[ids[row]] ?? []
            }
            return inserts
        }
    }

    /// The `ingest_batches` rows, in key order, one at the end of each transaction, customers first; rows
    /// beyond the number of transactions go into the last one.
    private mutating func addBatchRows(_ table: Int) {
        let count = self.tables[table].rows.count
        let transactions = self.customerTransactions.count + self.eventTransactions.count
        for row in 0..<count {
            let transaction = min(row, transactions - 1)
            if transaction < self.customerTransactions.count {
                self.customerTransactions[transaction].append(PlannedInsert(table: table, row: row))
            } else {
                self.eventTransactions[transaction - self.customerTransactions.count]
                    .append(PlannedInsert(table: table, row: row))
            }
        }
    }

    /// The integer values of the column that ties a row to its subject or event.
    private func linkColumn(_ name: String, of table: Int) throws -> [Int64] {
        let source = self.tables[table]
        guard let values = source.integers(of: name) else {
            throw CeilingError(
                code: .invalidSource,
                message: "the source table \(source.name) has no column \(name), which places its rows in a batch"
            )
        }
        return try values.map { value in
            guard let value else {
                throw CeilingError(
                    code: .invalidSource,
                    message: "the source table \(source.name) has a row whose \(name) is not an integer"
                )
            }
            return value
        }
    }
}

extension Array where Element == Int64 {
    /// The index of the first element for which `belongs` holds, in an array where it holds for a suffix;
    /// `count` when it holds for none.
    func partitioningIndex(where belongs: (Int64) -> Bool) -> Int {
        var low = 0
        var high = self.count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
