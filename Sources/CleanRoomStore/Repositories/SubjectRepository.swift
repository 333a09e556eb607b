public import CleanRoomCore
public import Foundation
internal import GRDB

/// People known to the store. A subject id is never reused, even after erasure.
public struct SubjectRepository {
    let db: Database
    let dataKeys: DataKeyRepository
    var changes: ChangeCollector? = nil
    let statements: DirectStatements

    /// Creates a new subject and returns its id; ids grow in arrival order.
    public func create(at time: Date) throws -> SubjectID {
        try performing("create a subject") {
            var insert = try DirectStatement(self.statements, sql: "INSERT INTO subjects (created_at) VALUES (?)")
            insert.bind(time.storedMilliseconds)
            try insert.run()
            let subject = SubjectID(insert.lastInsertedRowID)
            self.noteCreated(subject)
            return subject
        }
    }

    /// Notes a subject the transaction has just created, however: for the store's observers and for its data key.
    fileprivate func noteCreated(_ subject: SubjectID) {
        self.changes?.touch(subject)
        self.dataKeys.noteCreated(subject)
    }

    /// Starts creating subjects many at a time in this transaction (``SubjectCreation``).
    public func creation() throws -> SubjectCreation {
        try SubjectCreation(self)
    }

    /// Whether the subject exists (was created and not erased).
    public func exists(_ subject: SubjectID) throws -> Bool {
        try performing("look up a subject") {
            try Bool.fetchOne(
                self.db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM subjects WHERE id = ?)"),
                arguments: [subject.rawValue]
            ) ?? false
        }
    }

    /// The subjects created before `cutoff` that hold neither attributes nor events any more (what a retention
    /// sweep removes), in id order.
    public func withoutData(createdBefore cutoff: Date) throws -> [SubjectID] {
        try performing("find subjects without data") {
            try Int64.fetchAll(
                self.db,
                sql: """
                    SELECT id FROM subjects s WHERE created_at < ?
                    AND NOT EXISTS (SELECT 1 FROM subject_attributes a WHERE a.subject_id = s.id)
                    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.subject_id = s.id)
                    ORDER BY id
                    """,
                arguments: [cutoff.storedMilliseconds]
            ).map(SubjectID.init)
        }
    }

    /// When the subject was created, or `nil` when they are not held (never, or no longer).
    public func createdAt(of subject: SubjectID) throws -> Date? {
        try performing("look up a subject") {
            try Int64.fetchOne(
                self.db.cachedStatement(sql: "SELECT created_at FROM subjects WHERE id = ?"),
                arguments: [subject.rawValue]
            ).map(Date.init(storedMilliseconds:))
        }
    }

    /// Calls `body` with every subject held and when they were created, in id order, streaming from the database.
    public func forEach(_ body: (SubjectID, Date) throws -> Void) throws {
        try performing("read the subjects") {
            let rows = try Row.fetchCursor(self.db, sql: "SELECT id, created_at FROM subjects ORDER BY id")
            while let row = try rows.next() {
                try body(row.subject(at: 0), row.date(at: 1))
            }
        }
    }

    /// The number of subjects held.
    public func count() throws -> Int {
        try performing("count subjects") {
            try Int.fetchOne(self.db, sql: "SELECT COUNT(*) FROM subjects") ?? 0
        }
    }

    /// Deletes the subject and every row about them: identifiers and pseudonyms, data key (from the vault, with
    /// the commit), consent history, attributes, events and items. Rights requests stay, no longer linked to the
    /// subject.
    ///
    /// - Returns: `false` when the subject did not exist (already erased, or never held).
    public func delete(_ subject: SubjectID) throws -> Bool {
        try self.dataKeys.delete(for: subject)
        self.changes?.touch(subject)
        return try performing("delete a subject") {
            try self.db.cachedStatement(sql: "DELETE FROM subjects WHERE id = ?")
                .execute(arguments: [subject.rawValue])
            return self.db.changesCount > 0
        }
    }
}

/// New subjects of one write transaction, given their ids at once and written many per statement
/// (``SubjectRepository/creation()``): a customers ingest creates a subject per new person, and one statement each,
/// with `AUTOINCREMENT` updating its sequence after every one, cost as much as inserting the rows.
///
/// The ids are those `AUTOINCREMENT` would give, past every id the table holds or ever held, in creation order: the
/// next id is read once, by ``SubjectRepository/creation()``. Rows that refer to a subject created here can be
/// written only after ``writeHeld()``; and from ``SubjectRepository/creation()`` to the last ``writeHeld()`` of the
/// transaction no subject may be created otherwise (``SubjectRepository/create(at:)``, another creation, a copy of
/// this one), or two would take the same id and the transaction fail.
public struct SubjectCreation {
    private let subjects: SubjectRepository
    private var nextID: Int64
    private var held: [(subject: SubjectID, createdAt: Int64)] = []

    init(_ subjects: SubjectRepository) throws {
        self.subjects = subjects
        self.nextID = try performing("read the next subject id") {
            let last = try Int64.fetchOne(
                subjects.db,
                sql: """
                    SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'subjects'), 0),
                               COALESCE((SELECT max(id) FROM subjects), 0))
                    """)
            return (last ?? 0) + 1
        }
    }

    /// Creates a new subject, written by the next ``writeHeld()``, and returns its id.
    public mutating func create(at time: Date) -> SubjectID {
        let subject = SubjectID(self.nextID)
        self.nextID += 1
        self.held.append((subject, time.storedMilliseconds))
        self.subjects.noteCreated(subject)
        return subject
    }

    /// Writes the subjects created since the last call, in creation order.
    public mutating func writeHeld() throws {
        guard !self.held.isEmpty else { return }
        try performing("create subjects") {
            try DirectStatement.insert(
                self.held, into: self.subjects.statements, "INSERT INTO subjects (id, created_at) VALUES", columns: 2
            ) { insert, row in
                insert.bind(row.subject.rawValue)
                insert.bind(row.createdAt)
            }
        }
        self.held.removeAll(keepingCapacity: true)
    }
}
