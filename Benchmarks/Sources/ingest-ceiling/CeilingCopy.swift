import Foundation

/// The copy: a fresh database with the source's schema and CleanRoom's connection settings, and the prepared
/// inserts of each table: one for every number of rows a statement inserts.
final class CeilingCopy {
    /// The file of the copy inside the work folder.
    static let fileName = "ceiling.sqlite"
    /// The table where GRDB's migrator records the schema versions applied.
    static let migrationsTable = "grdb_migrations"

    private let connection: SQLiteConnection
    private let tables: [SourceTable]
    private let rowsPerInsert: Int
    /// The inserts of each table by their number of rows, prepared before the clock starts.
    private var inserts: [[Int: SQLiteStatement]]

    /// Deletes any earlier copy in `directory` (creating the folder when missing), replays the source's schema
    /// with its `grdb_migrations` rows, so that CleanRoom can open the copy, and prepares the inserts of
    /// `tables`, at most `rowsPerInsert` rows per statement.
    init(directory: String, schemaOf source: SQLiteConnection, tables: [SourceTable], rowsPerInsert: Int) throws {
        let path = try Self.createEmptyFile(in: directory)
        let connection = try SQLiteConnection(path: path, readOnly: false)
        // As `Store.open`: WAL, every commit synced, foreign keys enforced, deleted content overwritten,
        // a 64 MiB page cache, a checkpoint every 8192 pages and a 5 s busy timeout.
        try connection.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA secure_delete = ON;
            PRAGMA cache_size = -65536;
            PRAGMA wal_autocheckpoint = 8192;
            PRAGMA busy_timeout = 5000;
            """
        )
        try connection.execute("BEGIN IMMEDIATE")
        for row in try source.rows(Self.schemaQuery) {
            guard case .text(let sql) = row[0] else { continue }
            try connection.execute(sql)
        }
        if let migrations = try SourceTable.load(Self.migrationsTable, from: source) {
            let insert = try connection.prepare(migrations.insertSQL)
            for row in migrations.rows {
                try insert.insert(row)
            }
        }
        try connection.execute("COMMIT")
        self.connection = connection
        self.tables = tables
        self.rowsPerInsert = rowsPerInsert
        self.inserts = Array(repeating: [:], count: tables.count)
    }

    /// Removes an earlier copy and its -wal, -shm and -journal files, and creates the copy's file empty and
    /// private, as `Store.open` does (SQLite gives the -wal and -shm files the same mode); returns its path.
    private static func createEmptyFile(in directory: String) throws -> String {
        let files = FileManager.default
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm", "-journal"] where files.fileExists(atPath: path + suffix) {
                try files.removeItem(atPath: path + suffix)
            }
        } catch {
            throw CeilingError(
                code: .workDirectory,
                message: "cannot prepare the work folder \(directory): \(error.localizedDescription)"
            )
        }
        guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CeilingError(
                code: .workDirectory,
                message: "cannot create \(path); check that its folder is writable"
            )
        }
        return path
    }

    /// Every object's SQL, tables first, then indexes, views and triggers, each kind in creation order; not
    /// SQLite's own objects (`sqlite_sequence`, automatic indexes, which have no SQL).
    private static let schemaQuery = """
        SELECT sql FROM sqlite_master
        WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
        ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid
        """

    /// Runs `transactions`, each `BEGIN IMMEDIATE`, its inserts, `COMMIT`; returns the time they took on a
    /// monotonic clock. Consecutive rows of one table go into one statement, up to `rowsPerInsert`; the statements
    /// are grouped and prepared before the clock starts.
    func run(_ transactions: [[PlannedInsert]]) throws -> Duration {
        let statements = try transactions.map { transaction in
            try self.runs(of: transaction).map { run in
                (statement: try self.insert(table: transaction[run.lowerBound].table, rows: run.count), rows: run)
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        for (transaction, inserts) in zip(transactions, statements) {
            try self.connection.execute("BEGIN IMMEDIATE")
            for insert in inserts {
                try insert.statement.insert(
                    rows: transaction[insert.rows].lazy.map { self.tables[$0.table].rows[$0.row] })
            }
            try self.connection.execute("COMMIT")
        }
        return clock.now - start
    }

    /// `transaction` cut into runs of consecutive rows of one table, each at most `rowsPerInsert` long.
    private func runs(of transaction: [PlannedInsert]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = transaction.startIndex
        while start < transaction.endIndex {
            var end = start + 1
            while end < transaction.endIndex, end - start < self.rowsPerInsert,
                transaction[end].table == transaction[start].table
            {
                end += 1
            }
            runs.append(start..<end)
            start = end
        }
        return runs
    }

    /// The statement inserting `rows` rows into `table`, prepared once.
    private func insert(table: Int, rows: Int) throws -> SQLiteStatement {
        if let statement = self.inserts[table][rows] { return statement }
        let statement = try self.connection.prepare(self.tables[table].insertSQL(rows: rows))
        self.inserts[table][rows] = statement
        return statement
    }
}
