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

        /// Creates options; the defaults suit a server and the command line alike.
        public init(busyTimeout: Duration = .seconds(5), cacheSizeMiB: Int = 64, createIfMissing: Bool = true) {
            self.busyTimeout = busyTimeout
            self.cacheSizeMiB = cacheSizeMiB
            self.createIfMissing = createIfMissing
        }
    }

    let writer: any DatabaseWriter

    private init(writer: any DatabaseWriter) {
        self.writer = writer
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
        let store = Store(writer: pool)
        try store.verifyIntegrity()
        try store.migrate()
        return store
    }

    /// Creates a private, empty in-memory database with the current schema, for tests.
    public static func inMemory() throws -> Store {
        let queue = try performing("create an in-memory database") {
            try DatabaseQueue(configuration: configuration(Options()))
        }
        let store = Store(writer: queue)
        try store.migrate()
        return store
    }

    private static func configuration(_ options: Options) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let timeout = options.busyTimeout.components
        configuration.busyMode = .timeout(Double(timeout.seconds) + Double(timeout.attoseconds) * 1e-18)
        let cacheSizeKiB = max(options.cacheSizeMiB, 1) * 1024
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON; PRAGMA cache_size = -\(cacheSizeKiB)")
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
            try self.writer.read { db in try body(StoreTransaction(db: db)) }
        }
    }

    /// Runs `body` in one write transaction, committed when it returns and rolled back when it throws.
    ///
    /// Writes are serialized. Errors thrown by `body` pass through unchanged.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try performing("write to the database") {
            try self.writer.write { db in try body(StoreTransaction(db: db)) }
        }
    }

    /// The asynchronous form of ``read(_:)``: the work runs off the caller's thread.
    public func read<T: Sendable>(_ body: @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await performing("read from the database") {
            try await self.writer.read { db in try body(StoreTransaction(db: db)) }
        }
    }

    /// The asynchronous form of ``write(_:)``: the work runs off the caller's thread.
    public func write<T: Sendable>(_ body: @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await performing("write to the database") {
            try await self.writer.write { db in try body(StoreTransaction(db: db)) }
        }
    }

    /// Copies the write-ahead log into the database file and truncates the log.
    ///
    /// Call it after an erasure so that the destroyed data key and deleted rows leave the log file too.
    public func checkpoint() throws {
        try performing("checkpoint the write-ahead log") {
            try self.writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
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
        }
    }
}
