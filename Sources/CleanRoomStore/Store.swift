internal import Foundation
internal import CleanRoomCore
internal import CSQLiteConfig
internal import GRDB

/// The CleanRoom database: one SQLite file in WAL mode, its schema, and typed repositories over it.
///
/// A `Store` is a cheap, `Sendable` handle; copies share one connection pool. All access goes through
/// ``read(_:)`` and ``write(_:)``, which hand a ``StoreTransaction`` to a closure. A write closure runs
/// in one transaction: when it throws, nothing it did is kept, so an ingest batch commits whole or not
/// at all. Reads run concurrently with the single writer and see the last committed state. Access is not
/// reentrant: do not call ``read(_:)`` or ``write(_:)`` from inside such a closure; use its transaction.
///
/// ```swift
/// let store = try Store.open(path: "cleanroom.sqlite")
/// let subject = try store.write { tx in
///     let subject = try tx.subjects.create(at: now)
///     try tx.identifiers.add(identifier(of: subject))
///     return subject
/// }
/// ```
public struct Store: Sendable {
    /// Tuning of a store opened from a file.
    public struct Options: Sendable, Hashable {
        /// How long a connection waits for a lock held by another process before failing with
        /// ``StoreError/Code-swift.struct/busy``.
        public var busyTimeout: Duration
        /// The page cache of each connection, in MiB. A larger cache keeps more of the B-trees
        /// that ingest appends to in memory.
        public var cacheSizeMiB: Int

        /// Whether a missing file is created (as `cleanroom init` wants) or refused with
        /// ``StoreError/Code-swift.struct/notFound`` (as every command that expects an existing home wants,
        /// so that a mistyped home is not silently replaced by an empty database).
        public var createIfMissing: Bool

        /// The key vault's file (the subjects' wrapped data keys, kept out of the database and its backups);
        /// `nil` puts it beside the database as `<database>.keys`. A CleanRoom home keeps it in `keys/`.
        public var keyVaultPath: String?

        /// When the file is verified with `PRAGMA quick_check`.
        public var integrityCheck: IntegrityCheck

        /// Creates options; the defaults suit a server and the command line alike.
        public init(
            busyTimeout: Duration = .seconds(5), cacheSizeMiB: Int = 64, createIfMissing: Bool = true,
            keyVaultPath: String? = nil, integrityCheck: IntegrityCheck = .atOpen
        ) {
            self.busyTimeout = busyTimeout
            self.cacheSizeMiB = cacheSizeMiB
            self.createIfMissing = createIfMissing
            self.keyVaultPath = keyVaultPath
            self.integrityCheck = integrityCheck
        }
    }

    /// When ``open(path:options:)`` verifies the file with `PRAGMA quick_check`, which reads all of it (2.4 s for
    /// a million people). Nothing is ever written before the file passes.
    public enum IntegrityCheck: Sendable, Hashable {
        /// Before `open` returns.
        case atOpen
        /// On a thread of its own, beside the caller's first reads; every write waits for it and fails with
        /// `corrupt` when it found damage. A file that needs an upgrade first (a migration, keys to move or to
        /// settle) is verified before `open` returns, as with `atOpen`. For a command that reads much before its
        /// first write: an ingest loads its identity index meanwhile.
        case beforeFirstWrite
    }

    let writer: any DatabaseWriter
    let vault: KeyVault
    private let observers = StoreObservers()
    /// The integrity check every write waits for: done at once for a store verified as it opened, else running in
    /// the background (``IntegrityCheck/beforeFirstWrite``); set by ``open(path:options:)`` before the store is
    /// shared.
    private var integrity = BackgroundWork(value: ())

    private init(writer: any DatabaseWriter, vault: KeyVault) {
        self.writer = writer
        self.vault = vault
    }

    /// Calls `handler` after every write transaction of this store (any copy of it) that committed changes to
    /// people's data, with what changed, on the thread that wrote. Changes made by other processes are not seen.
    public func observeChanges(_ handler: @escaping @Sendable (StoreChange) -> Void) {
        self.observers.add(handler)
    }

    /// Opens the database file at `path`, creating it when missing, and brings its schema up to date.
    ///
    /// A new file is created with mode 0600 (SQLite gives its `-wal` and `-shm` files the same mode); an
    /// existing file that group or others can access is refused. The file is put in WAL mode with every
    /// commit synced (`synchronous = FULL`), foreign keys enforced and deleted content overwritten
    /// (`secure_delete`, so a destroyed data key does not linger in free space). Before migrating,
    /// `PRAGMA quick_check` verifies the file.
    ///
    /// - Throws: ``StoreError`` with code `corrupt` when the file is damaged or not a database,
    ///   `newerSchema` when a newer CleanRoom migrated it, `cannotOpen` when it cannot be created,
    ///   `notFound` when it is missing and `options.createIfMissing` is false, `insecurePermissions` when
    ///   it is accessible by group or others.
    public static func open(path: String, options: Options = Options()) throws -> Store {
        Self.configureSQLite()
        try DatabaseFile(path: path).prepare(createIfMissing: options.createIfMissing)
        let pool = try performing("open the database at \(path)") {
            try DatabasePool(path: path, configuration: configuration(options))
        }
        // GRDB sets `synchronous = NORMAL` on a WAL pool's writer after `prepareDatabase`; NORMAL survives a
        // crash of the process but may lose the last commits on power loss. A commit here acknowledges an
        // ingest, an erasure or a key re-wrap, so every commit is synced (FULL).
        try performing("make commits durable") {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        }
        let vault = try KeyVault.open(
            path: options.keyVaultPath ?? path + ".keys", createIfMissing: options.createIfMissing)
        var store = Store(writer: pool, vault: vault)
        if options.integrityCheck == .beforeFirstWrite, try !store.needsUpgrade() {
            store.integrity = BackgroundWork(name: "cleanroom.store.quick-check") { [store] in
                try store.verifyIntegrity()
            }
        } else {
            try store.verifyIntegrity()
            try store.moveDataKeysToTheVault()
            try store.migrate()
        }
        try store.settleKeyVault()
        return store
    }

    /// Creates a private, empty in-memory database with the current schema, for tests.
    public static func inMemory() throws -> Store {
        Self.configureSQLite()
        let queue = try performing("create an in-memory database") {
            try DatabaseQueue(configuration: configuration(Options()))
        }
        let store = Store(writer: queue, vault: try KeyVault.inMemory())
        try store.migrate()
        return store
    }

    /// Makes SQLite's process-wide settings, before its first connection: multi-thread mode (GRDB serializes the
    /// use of each connection itself, so SQLite's mutex around every call on one is redundant) and no memory
    /// statistics (a global mutex around every allocation); 7 % of a customers ingest. ``open(path:options:)``
    /// calls it; a tool measuring SQLite beside CleanRoom calls it too, to measure with the same settings.
    ///
    /// Once SQLite is in use they cannot be changed: then its defaults stay, which are as correct, only slower.
    public static func configureSQLite() {
        _ = Self.sqliteConfigured
    }

    private static let sqliteConfigured: Void = {
        _ = CSQLiteConfig_useMultiThreadMode()
        _ = CSQLiteConfig_disableMemoryStatistics()
    }()

    private static func configuration(_ options: Options) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let timeout = options.busyTimeout.components
        configuration.busyMode = .timeout(Double(timeout.seconds) + Double(timeout.attoseconds) * 1e-18)
        let cacheSizeKiB = max(options.cacheSizeMiB, 1) * 1024
        configuration.prepareDatabase { db in
            // A checkpoint every 8192 pages (32 MiB) rather than every 1000: an ingest changes the same index pages
            // batch after batch, and each checkpoint copies them into the file again (2-3 % of an events ingest).
            try db.execute(
                sql: "PRAGMA secure_delete = ON; PRAGMA cache_size = -\(cacheSizeKiB); PRAGMA wal_autocheckpoint = 8192")
        }
        return configuration
    }

    private func verifyIntegrity() throws {
        let report = try performing("check the integrity of the database") {
            try self.writer.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        }
        guard report == ["ok"] else {
            throw StoreError(
                code: .corrupt,
                message: "the database file is corrupt: PRAGMA quick_check found damage; restore the file from a backup"
            )
        }
    }

    /// Whether opening the file writes to it (a migration, data keys to move to the vault, key deletions to
    /// settle) or refuses it (a newer schema).
    private func needsUpgrade() throws -> Bool {
        try performing("read the schema version") {
            try self.writer.read { db in
                let migrator = StoreSchema.migrator
                guard try migrator.hasCompletedMigrations(db), try !migrator.hasBeenSuperseded(db),
                    try !db.tableExists("data_keys")
                else {
                    return true
                }
                return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_key_deletions)") ?? true
            }
        }
    }

    private func migrate() throws {
        let migrator = StoreSchema.migrator
        try performing("migrate the database schema") {
            if try self.writer.read({ db in try migrator.hasBeenSuperseded(db) }) {
                throw StoreError(
                    code: .newerSchema,
                    message: "the database was migrated by a newer version of CleanRoom; upgrade CleanRoom to open it"
                )
            }
            try migrator.migrate(self.writer)
        }
    }

    /// Before schema v6 the data keys lived in the database: they move to the vault (again, harmlessly, after an
    /// interrupted move) before v6 drops their table.
    private func moveDataKeysToTheVault() throws {
        let keys = try performing("read the data keys to move") {
            try self.writer.read { db -> [StoredDataKey] in
                guard try db.tableExists("data_keys") else { return [] }
                return try Row.fetchAll(db, sql: "SELECT subject_id, kek_version, wrapped FROM data_keys")
                    .map(DataKeyRepository.key)
            }
        }
        try performing("move the data keys to the key vault") {
            try self.vault.insert(keys, replacing: Set(keys.map(\.subject)))
        }
    }

    /// Finishes what an interrupted write left between the database and the vault: keys destroyed by a committed
    /// erasure leave the vault; keys of subjects whose creation never committed are removed.
    private func settleKeyVault() throws {
        let (pending, lastSubject) = try performing("read the pending key deletions") {
            try self.writer.read { db in
                (
                    try Int64.fetchAll(db, sql: "SELECT subject_id FROM pending_key_deletions"),
                    try Int64.fetchOne(
                        db, sql: "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'subjects'), 0), "
                            + "COALESCE((SELECT MAX(id) FROM subjects), 0))") ?? 0
                )
            }
        }
        try performing("settle the key vault") {
            try self.vault.delete(pending.map(SubjectID.init), after: lastSubject)
            if !pending.isEmpty {
                try self.vault.checkpoint()
                try self.writer.write { db in try db.execute(sql: "DELETE FROM pending_key_deletions") }
            }
        }
    }

    /// The names of the schema migrations applied to this database, oldest first (`"v1-…"`).
    public var appliedMigrations: [String] {
        get throws {
            try performing("read the applied migrations") {
                try self.writer.read { db in try StoreSchema.migrator.appliedMigrations(db) }
            }
        }
    }

    /// The writer's `PRAGMA synchronous` level: 2 (FULL) for a file.
    var synchronousLevel: Int {
        get throws {
            try performing("read the synchronous level") {
                try self.writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
            }
        }
    }

    /// The SQLite journal mode in force: `"wal"` for a file, `"memory"` for ``inMemory()``.
    public var journalMode: String {
        get throws {
            try performing("read the journal mode") {
                try self.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
            }
        }
    }

    /// Runs `body` in a read-only transaction that sees the last committed state.
    ///
    /// Readers never wait for the writer. A repository operation that writes fails with
    /// ``StoreError/Code-swift.struct/readOnly``. Errors thrown by `body` pass through unchanged.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try performing("read from the database") {
            try self.writer.read { db in try body(StoreTransaction(db: db, vault: self.vault, keyChanges: nil, changes: nil)) }
        }
    }

    /// Runs `body` in one write transaction, committed when it returns and rolled back when it throws.
    ///
    /// Writes are serialized. Errors thrown by `body` pass through unchanged. Data keys the transaction adds reach
    /// the key vault before the database commits (just before, or while `body` runs for the keys of its new
    /// subjects: ``DataKeyRepository/insert(keysOfNewSubjects:)``), and keys it destroys leave the vault just after.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try self.integrity.value()
        let changes = KeyChanges()
        let touched = ChangeCollector()
        var insertedInVault: [SubjectID] = []
        let result: T
        do {
            result = try performing("write to the database") {
                try self.writer.write { db in
                    let result = try body(
                        StoreTransaction(db: db, vault: self.vault, keyChanges: changes, changes: touched))
                    insertedInVault = try self.applyInsertions(changes, noting: db)
                    return result
                }
            }
        } catch {
            // The database did not commit: keys already added to the vault belong to nobody.
            try? changes.waitForAheadWrites()
            let added = insertedInVault + changes.writtenAhead
            if !added.isEmpty {
                try? self.vault.delete(added)
            }
            throw error
        }
        // Committed. Should removing destroyed keys fail now, their notes stay and the next open finishes it.
        try self.applyDeletions(changes)
        self.observers.notify(touched.change)
        return result
    }

    /// The asynchronous form of ``read(_:)``: the work runs off the caller's thread.
    public func read<T: Sendable>(_ body: @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await performing("read from the database") {
            try await self.writer.read { db in try body(StoreTransaction(db: db, vault: self.vault, keyChanges: nil, changes: nil)) }
        }
    }

    /// The asynchronous form of ``write(_:)``: the work runs on a thread of its own, off the caller's.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try self.write(body) })
            }
        }
    }

    /// Waits for the transaction's keys written ahead, adds its other new keys to the vault (committed there) and notes its destroyed keys in the
    /// database, in the transaction about to commit; returns the subjects whose keys were added.
    private func applyInsertions(_ changes: KeyChanges, noting db: Database) throws -> [SubjectID] {
        try changes.waitForAheadWrites()
        try self.vault.insert(Array(changes.inserted.values), replacing: changes.replacing)
        for subject in changes.deleted {
            try db.execute(
                sql: "INSERT OR IGNORE INTO pending_key_deletions (subject_id) VALUES (?)", arguments: [subject.rawValue])
        }
        return Array(changes.inserted.keys)
    }

    /// Removes the committed transaction's destroyed keys from the vault, then their notes from the database.
    private func applyDeletions(_ changes: KeyChanges) throws {
        guard !changes.deleted.isEmpty else { return }
        try performing("destroy data keys") {
            try self.vault.delete(changes.deleted)
            try self.writer.write { db in
                for subject in changes.deleted {
                    try db.execute(
                        sql: "DELETE FROM pending_key_deletions WHERE subject_id = ?", arguments: [subject.rawValue])
                }
            }
        }
    }

    /// Copies the write-ahead log into the database file and truncates the log.
    ///
    /// Call it after an erasure so that the destroyed data key and deleted rows leave the log file too.
    public func checkpoint() throws {
        try self.integrity.value()
        try performing("checkpoint the write-ahead log") {
            try self.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try self.vault.checkpoint()
        }
    }

    /// Checkpoints the write-ahead log into the file, then closes the connections of this store (and of
    /// every copy of it). Later use fails.
    ///
    /// The checkpoint is best effort: when another process keeps reading, the log stays beside the file
    /// and SQLite replays it at the next open, so nothing is lost.
    public func close() throws {
        try? self.checkpoint()
        try performing("close the database") {
            try self.writer.close()
            try self.vault.close()
        }
    }
}
