public import CleanRoomCore
public import Foundation
internal import GRDB

/// Events and their items. An event is identified by its subject and key (``StoredEvent/key``).
public struct EventRepository {
    let db: Database
    var changes: ChangeCollector? = nil
    let statements: DirectStatements

    private static let columns = """
        SELECT e.id, e.subject_id, e.type, e.occurred_at, e.amount, e.currency, e.event_key, i.item
        FROM events e LEFT JOIN event_items i ON i.event_id = e.id
        """

    /// Stores the event and its items unless the subject already has an event with the same key.
    ///
    /// - Returns: `true` when stored, `false` when it was already held (a duplicate).
    /// - Throws: ``StoreError`` `invalidArgument` for a key that is not 1 to 64 bytes or an amount that
    ///   is not finite; `constraint` when the subject does not exist.
    public func insertIfAbsent(_ event: StoredEvent) throws -> Bool {
        guard (1...64).contains(event.key.count) else {
            throw StoreError(code: .invalidArgument, message: "an event key must be 1 to 64 bytes long")
        }
        if let amount = event.amount, !amount.isFinite {
            throw StoreError(code: .invalidArgument, message: "an event amount must be a finite number")
        }
        self.changes?.touch(event.subject)
        return try performing("insert an event") {
            var insert = try DirectStatement(
                self.statements,
                sql: """
                    INSERT INTO events (subject_id, type, occurred_at, amount, currency, event_key)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (subject_id, event_key) DO NOTHING
                    """)
            insert.bind(event.subject.rawValue)
            insert.bind(event.type)
            insert.bind(event.occurredAt.storedMilliseconds)
            insert.bind(event.amount)
            insert.bind(event.currency)
            insert.bind(event.key)
            guard try insert.runCountingChanges() > 0 else { return false }
            let eventID = insert.lastInsertedRowID
            try DirectStatement.insert(
                event.items.indices, into: self.statements, "INSERT INTO event_items (event_id, position, item) VALUES",
                columns: 3
            ) { insertItem, position in
                insertItem.bind(eventID)
                insertItem.bind(position)
                insertItem.bind(event.items[position])
            }
            return true
        }
    }

    /// The events of one subject, by time, then in arrival order.
    public func events(of subject: SubjectID) throws -> [StoredEvent] {
        try performing("read the events of a subject") {
            let rows = try Row.fetchCursor(
                self.db.cachedStatement(
                    sql: Self.columns + " WHERE e.subject_id = ? ORDER BY e.occurred_at, e.id, i.position"
                ),
                arguments: [subject.rawValue]
            )
            var events: [StoredEvent] = []
            try Self.group(rows) { events.append($0) }
            return events
        }
    }

    /// Calls `body` with every event and its items in arrival order, streaming from the database.
    public func forEach(_ body: (StoredEvent) throws -> Void) throws {
        try performing("read the events") {
            try Self.group(Row.fetchCursor(self.db, sql: Self.columns + " ORDER BY e.id, i.position"), body)
        }
    }

    /// One event as an in-memory index reads it in bulk: no key, no currency, the time in stored milliseconds.
    public struct ScannedEvent: Sendable {
        /// Whose event it is.
        public var subject: SubjectID
        /// The event type.
        public var type: String
        /// When it happened, in milliseconds since 1970 (UTC).
        public var occurredAt: Int64
        /// The amount, if it carries one.
        public var amount: Double?
        /// The items, in their stored order.
        public var items: [String]
    }

    /// Calls `body` with every event in arrival order, read through SQLite's C API: the fast path for loading an
    /// index of millions of events (``forEach(_:)`` builds full ``StoredEvent`` values instead).
    public func scan(_ body: (ScannedEvent) throws -> Void) throws {
        try performing("read the events") {
            var events = try DirectStatement(
                self.db, sql: "SELECT id, subject_id, type, occurred_at, amount FROM events ORDER BY id")
            var items = try DirectStatement(
                self.db, sql: "SELECT event_id, item FROM event_items ORDER BY event_id, position")
            // Both run in event id order: each event's items are the next rows of the second statement.
            var item = try items.nextRow()
            try events.forEachRow { row in
                let id = row.int64(0)
                var event = ScannedEvent(
                    subject: SubjectID(row.int64(1)), type: row.text(2), occurredAt: row.int64(3), amount: row.double(4),
                    items: [])
                while let current = item, current.int64(0) <= id {
                    if current.int64(0) == id { event.items.append(current.text(1)) }
                    item = try items.nextRow()
                }
                try body(event)
            }
        }
    }

    /// Calls `body` with the subject and type of every event in arrival order (to size an index before
    /// ``scan(_:)``).
    public func forEachSubjectAndType(_ body: (SubjectID, String) throws -> Void) throws {
        try performing("read the events' subjects") {
            var subjects = try DirectStatement(self.db, sql: "SELECT subject_id, type FROM events ORDER BY id")
            try subjects.forEachRow { row in try body(SubjectID(row.int64(0)), row.text(1)) }
        }
    }

    /// The number of events held.
    public func count() throws -> Int {
        try performing("count events") {
            try Int.fetchOne(self.db, sql: "SELECT COUNT(*) FROM events") ?? 0
        }
    }

    /// Deletes the events of `type` that happened before `cutoff`, with their items (retention).
    ///
    /// - Returns: The number of events deleted.
    @discardableResult
    public func delete(type: String, occurredBefore cutoff: Date) throws -> Int {
        self.changes?.touchEveryone()
        return try performing("delete expired events") {
            try self.db.execute(
                sql: "DELETE FROM events WHERE type = ? AND occurred_at < ?",
                arguments: [type, cutoff.storedMilliseconds]
            )
            return self.db.changesCount
        }
    }

    /// Deletes the events whose type is none of `types` (a policy that no longer declares a type keeps none of it).
    ///
    /// - Returns: The number of events deleted.
    @discardableResult
    public func delete(typesOtherThan types: Set<String>) throws -> Int {
        self.changes?.touchEveryone()
        return try performing("delete events of undeclared types") {
            let placeholders = Array(repeating: "?", count: types.count).joined(separator: ", ")
            try self.db.execute(
                sql: "DELETE FROM events WHERE type NOT IN (\(placeholders))",
                arguments: StatementArguments(types.sorted())
            )
            return self.db.changesCount
        }
    }

    /// Folds the rows of ``columns`` (one per item, consecutive per event) into events.
    private static func group(_ rows: RowCursor, _ body: (StoredEvent) throws -> Void) throws {
        var current: (id: Int64, event: StoredEvent)?
        while let row = try rows.next() {
            let id: Int64 = row[0]
            let item: String? = row[7]
            if let (currentID, _) = current, currentID == id {
                if let item { current?.event.items.append(item) }
                continue
            }
            if let (_, event) = current { try body(event) }
            let event = StoredEvent(
                subject: row.subject(at: 1),
                type: row[2],
                occurredAt: row.date(at: 3),
                amount: row[4],
                currency: row[5],
                items: item.map { [$0] } ?? [],
                key: row.bytes(at: 6)
            )
            current = (id, event)
        }
        if let (_, event) = current { try body(event) }
    }
}
