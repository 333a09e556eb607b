public import CleanRoomCore
internal import GRDB

/// The consent ledger: append-only; the current basis is derived from it by the caller.
public struct ConsentRepository {
    let db: Database
    var changes: ChangeCollector? = nil
    let statements: DirectStatements

    /// Appends an entry to the ledger.
    ///
    /// - Throws: ``StoreError`` `constraint` when the subject does not exist.
    public func append(_ entry: StoredConsent) throws {
        try self.insert(CollectionOfOne(entry))
    }

    /// Appends entries to the ledger in order, several per statement: what ``append(_:)`` does for each, for the
    /// many a batch of customers brings.
    ///
    /// - Throws: ``StoreError`` `constraint` when a subject does not exist; then none of the entries of the
    ///   statement it was in are appended, and the transaction should be rolled back.
    public func append(contentsOf entries: [StoredConsent]) throws {
        try self.insert(entries)
    }

    // Generic only inside the module, where each use is specialized: across it, a generic runs unspecialized,
    // looking up the type's metadata for every row.
    private func insert(_ entries: some Collection<StoredConsent>) throws {
        try performing("append to the consent ledger") {
            try DirectStatement.insert(
                entries, into: self.statements,
                "INSERT INTO consent_ledger (subject_id, purpose, signal, occurred_at, recorded_at, source) VALUES",
                columns: 6
            ) { insert, entry in
                self.changes?.touch(entry.subject)
                insert.bind(entry.subject.rawValue)
                insert.bind(entry.purpose)
                insert.bind(entry.signal.rawValue)
                insert.bind(entry.occurredAt.storedMilliseconds)
                insert.bind(entry.recordedAt.storedMilliseconds)
                insert.bind(entry.source)
            }
        }
    }

    /// The ledger entries of one subject, by the time the signal was given, then in arrival order.
    public func history(of subject: SubjectID) throws -> [StoredConsent] {
        try performing("read the consent history of a subject") {
            try Array(
                Row.fetchCursor(
                    self.db.cachedStatement(
                        sql: """
                            SELECT subject_id, purpose, signal, occurred_at, recorded_at, source FROM consent_ledger
                            WHERE subject_id = ? ORDER BY occurred_at, id
                            """
                    ),
                    arguments: [subject.rawValue]
                ).map(Self.entry)
            )
        }
    }

    /// Calls `body` with every ledger entry in arrival order, streaming from the database.
    public func forEach(_ body: (StoredConsent) throws -> Void) throws {
        try performing("read the consent ledger") {
            let rows = try Row.fetchCursor(
                self.db,
                sql: """
                    SELECT subject_id, purpose, signal, occurred_at, recorded_at, source FROM consent_ledger
                    ORDER BY id
                    """
            )
            while let row = try rows.next() {
                try body(Self.entry(row))
            }
        }
    }

    /// Calls `body` with each subject's whole ledger (by subject id, entries in arrival order), streaming from the
    /// database so that only one person's history is held at a time.
    public func forEachHistory(_ body: (SubjectID, [StoredConsent]) throws -> Void) throws {
        try performing("read the consent ledger") {
            let rows = try Row.fetchCursor(
                self.db,
                sql: """
                    SELECT subject_id, purpose, signal, occurred_at, recorded_at, source FROM consent_ledger
                    ORDER BY subject_id, id
                    """
            )
            var history: [StoredConsent] = []
            while let row = try rows.next() {
                let entry = Self.entry(row)
                if let first = history.first, first.subject != entry.subject {
                    try body(first.subject, history)
                    history.removeAll(keepingCapacity: true)
                }
                history.append(entry)
            }
            if let first = history.first { try body(first.subject, history) }
        }
    }

    private static func entry(_ row: Row) -> StoredConsent {
        StoredConsent(
            subject: row.subject(at: 0),
            purpose: row[1],
            signal: StoredConsent.Signal(rawValue: row[2]),
            occurredAt: row.date(at: 3),
            recordedAt: row.date(at: 4),
            source: row[5]
        )
    }
}
