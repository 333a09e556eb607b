internal import CleanRoomCore
internal import Dispatch
internal import GRDB

/// The subjects' wrapped data keys, in a SQLite file of their own beside the key-encryption keys, so that a
/// backup of the database holds no key: once an erasure destroys a person's key in the vault, their sealed values
/// in any copy of the database are unreadable (crypto-shredding, DESIGN.md section 7).
///
/// The database and the vault cannot commit atomically together, so the store orders the two: a write's new keys
/// reach the vault before the database commits (an interrupted commit leaves only keys of subjects that do not
/// exist, removed at the next open), and its destroyed keys leave the vault after the database commits, noted in
/// the database's `pending_key_deletions` until they have (finished at the next open after a crash).
final class KeyVault: Sendable {
    private let queue: DatabaseQueue
    /// Where ``insertAhead(_:)`` writes, off the committing thread.
    private let writingQueue = DispatchQueue(label: "cleanroom.store.key-vault")

    private static let schema = """
        CREATE TABLE IF NOT EXISTS data_keys (
            subject_id INTEGER PRIMARY KEY,
            kek_version INTEGER NOT NULL,
            wrapped BLOB NOT NULL
        );
        """

    private init(queue: DatabaseQueue) throws {
        self.queue = queue
        try performing("prepare the key vault") {
            try queue.write { db in try db.execute(sql: Self.schema) }
        }
    }

    /// The vault file at `path`, created with mode 0600 when missing, in WAL mode with every commit synced and
    /// deleted content overwritten.
    static func open(path: String, createIfMissing: Bool) throws -> KeyVault {
        try DatabaseFile(path: path).prepare(createIfMissing: createIfMissing)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        let queue = try performing("open the key vault at \(path)") {
            try DatabaseQueue(path: path, configuration: configuration)
        }
        try performing("set up the key vault") {
            try queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        return try KeyVault(queue: queue)
    }

    /// A private vault in memory, for an in-memory store.
    static func inMemory() throws -> KeyVault {
        try KeyVault(queue: performing("create an in-memory key vault") { try DatabaseQueue() })
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try self.queue.read(body)
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try self.queue.write(body)
    }

    /// Adds `keys` in one transaction. A key for a subject the vault already holds is refused (`constraint`),
    /// unless its subject is in `replacing`.
    func insert(_ keys: some Collection<StoredDataKey>, replacing: Set<SubjectID>) throws {
        guard !keys.isEmpty else { return }
        try self.queue.write { db in
            // In subject order, as the keys' pages lie; several keys per statement.
            let sorted = keys.sorted { $0.subject < $1.subject }
            let statements = DirectStatements(db)
            try DirectStatement.insert(
                sorted.lazy.filter { !replacing.contains($0.subject) }, into: statements,
                "INSERT INTO data_keys (subject_id, kek_version, wrapped) VALUES", columns: 3, bind: Self.bind)
            guard !replacing.isEmpty else { return }
            try DirectStatement.insert(
                sorted.lazy.filter { replacing.contains($0.subject) }, into: statements,
                "INSERT OR REPLACE INTO data_keys (subject_id, kek_version, wrapped) VALUES", columns: 3, bind: Self.bind)
        }
    }

    /// Deletes the keys of `subjects`, and of every subject after `lastSubject` when given, in one transaction.
    func delete(_ subjects: some Sequence<SubjectID>, after lastSubject: Int64? = nil) throws {
        try self.queue.write { db in
            if let lastSubject {
                try db.execute(sql: "DELETE FROM data_keys WHERE subject_id > ?", arguments: [lastSubject])
            }
            var delete = try DirectStatement(db, sql: "DELETE FROM data_keys WHERE subject_id = ?")
            for subject in subjects {
                delete.bind(subject.rawValue)
                try delete.run()
            }
        }
    }

    /// Starts adding `keys` (of subjects without a key) in one transaction on the vault's writing queue, so that
    /// the caller goes on meanwhile; the work's value says how it ended (rolled back when it throws: none of the
    /// keys were added).
    func insertAhead(_ keys: [StoredDataKey]) -> BackgroundWork<Void> {
        BackgroundWork(on: self.writingQueue) { [self] in try self.insert(keys, replacing: []) }
    }

    private static func bind(_ statement: inout DirectStatement, _ key: StoredDataKey) {
        statement.bind(key.subject.rawValue)
        statement.bind(key.kekVersion)
        statement.bind(key.wrapped)
    }

    /// Copies the vault's log into its file and truncates it, so a destroyed key leaves no copy behind.
    func checkpoint() throws {
        try self.queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    func close() throws {
        try? self.checkpoint()
        try self.queue.close()
    }
}

/// The key changes of one store write, applied to the vault around the database's commit (see ``KeyVault``).
///
/// Only the writer's serialized transaction touches it.
final class KeyChanges: @unchecked Sendable {
    var inserted: [SubjectID: StoredDataKey] = [:]
    /// Subjects whose keys went to the vault ahead of the commit (``DataKeyRepository/insert(keysOfNewSubjects:)``).
    var writtenAhead: Set<SubjectID> = []
    /// Those writes, each one vault transaction on the vault's writing queue; waited for before the database
    /// commits.
    var aheadWrites: [BackgroundWork<Void>] = []
    /// Inserted keys that replace a key the same transaction destroyed.
    var replacing: Set<SubjectID> = []
    var deleted: Set<SubjectID> = []
    /// Subjects the transaction created and has not deleted: a key inserted for one needs no lookup of its subject.
    var created: Set<SubjectID> = []

    /// Waits for every write ahead.
    ///
    /// - Throws: The first write's error, once all have ended.
    func waitForAheadWrites() throws {
        var firstError: (any Error)?
        for write in self.aheadWrites {
            do { try write.value() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }
}
