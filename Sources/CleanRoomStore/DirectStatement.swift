internal import GRDB
internal import GRDBSQLite

/// A cached statement whose values are bound and stepped through SQLite's C API directly.
///
/// The hot write paths of an ingest (several rows per person) use it instead of GRDB's
/// `execute(arguments:)`, which boxes every value into a `DatabaseValue` array first: on a customer batch
/// that boxing cost as much as SQLite's own work. Values are bound in order, starting at the first `?`; every
/// parameter must be bound before ``run()``, which checks it, so a value of a previous row can never be reused.
struct DirectStatement {
    private let db: Database
    /// Held so that GRDB's cache cannot finalize the statement while it is in use.
    private let statement: Statement
    private var handle: OpaquePointer { self.statement.sqliteStatement }
    private var position: Int32 = 0
    /// The first failed bind, reported by ``run()``.
    private var bindFailure: Int32?

    /// The statement for `sql`, from the connection's cache, reset and ready for its values.
    init(_ db: Database, sql: String) throws {
        self.init(db, statement: try db.cachedStatement(sql: sql))
    }

    /// The statement for `sql`, from the transaction's statements, reset and ready for its values.
    init(_ statements: DirectStatements, sql: StaticString) throws {
        self.init(statements.db, statement: try statements.statement(sql))
    }

    /// The statement inserting `rows` rows of `columns` values at once
    /// (``DirectStatements/statement(insert:columns:rows:)``), reset and ready for their values, row after row.
    init(_ statements: DirectStatements, insert: StaticString, columns: Int, rows: Int) throws {
        self.init(statements.db, statement: try statements.statement(insert: insert, columns: columns, rows: rows))
    }

    /// Rows per statement of ``insert(_:into:_:columns:bind:)``: past a few dozen, a larger statement saves no more.
    static let rowsPerInsert = 32

    /// Inserts `rows` with statements of up to ``rowsPerInsert`` rows each, `bind` binding the `columns` values of
    /// one row in order. `insert` is the statement up to its values (`INSERT INTO t (a, b) VALUES`).
    ///
    /// SQLite starts and ends a statement for every run, which for a small row costs as much as inserting it:
    /// 4,000,000 consent entries took 3.3 s one per statement and 1.6 s thirty-two per statement. The rows are
    /// inserted in order, so they get the row ids one insert each would have given them; a failure fails the
    /// statement it is in, whose rows are then all absent.
    static func insert<Rows: Collection>(
        _ rows: Rows, into statements: DirectStatements, _ insert: StaticString, columns: Int,
        bind: (inout DirectStatement, Rows.Element) -> Void
    ) throws {
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: Self.rowsPerInsert, limitedBy: rows.endIndex) ?? rows.endIndex
            var statement = try DirectStatement(
                statements, insert: insert, columns: columns, rows: rows.distance(from: start, to: end))
            // By index: each row is read in place, not copied for the call.
            var index = start
            while index != end {
                bind(&statement, rows[index])
                rows.formIndex(after: &index)
            }
            try statement.run()
            start = end
        }
    }

    private init(_ db: Database, statement: Statement) {
        self.db = db
        self.statement = statement
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    mutating func bind(_ value: Int64) {
        self.position += 1
        self.check(sqlite3_bind_int64(self.handle, self.position, value))
    }

    mutating func bind(_ value: Int) {
        self.bind(Int64(value))
    }

    mutating func bind(_ value: Double?) {
        self.position += 1
        if let value {
            self.check(sqlite3_bind_double(self.handle, self.position, value))
        } else {
            self.check(sqlite3_bind_null(self.handle, self.position))
        }
    }

    mutating func bind(_ value: String?) {
        self.position += 1
        guard var value else {
            self.check(sqlite3_bind_null(self.handle, self.position))
            return
        }
        let (handle, position) = (self.handle, self.position)
        let code = value.withUTF8 { bytes in
            // No address for an empty string: SQLite would bind NULL, not ''.
            sqlite3_bind_text(handle, position, bytes.baseAddress ?? Self.empty, Int32(bytes.count), Self.transient)
        }
        self.check(code)
    }

    mutating func bind(_ value: [UInt8]) {
        self.position += 1
        let (handle, position) = (self.handle, self.position)
        let code = value.withUnsafeBytes { bytes in
            if let address = bytes.baseAddress {
                return sqlite3_bind_blob(handle, position, address, Int32(bytes.count), Self.transient)
            }
            return sqlite3_bind_zeroblob(handle, position, 0)
        }
        self.check(code)
    }

    /// Runs the statement to completion and resets it for the next values.
    ///
    /// - Throws: GRDB's `DatabaseError` with SQLite's code and message (never a bound value), which
    ///   ``performing(_:_:)`` turns into a ``StoreError``.
    mutating func run() throws {
        try self.step { _ in }
    }

    /// Runs an `INSERT`, `UPDATE` or `DELETE` to completion, resets it, and returns how many rows it changed.
    ///
    /// Read from the statement's connection through SQLite's C API: GRDB's `changesCount` and `lastInsertedRowID`
    /// first check that they are called on the database's queue, which was a tenth of inserting an event.
    mutating func runCountingChanges() throws -> Int {
        let connection = sqlite3_db_handle(self.handle)
        return try self.step { _ in Int(sqlite3_changes(connection)) }
    }

    /// The row id of the row the statement's connection inserted last, as ``runCountingChanges()`` reads its count.
    var lastInsertedRowID: Int64 {
        sqlite3_last_insert_rowid(sqlite3_db_handle(self.handle))
    }

    /// Runs a statement that selects one integer and returns it (`nil` without a row), then resets it.
    mutating func integer() throws -> Int64? {
        let handle = self.handle
        return try self.step { code in code == SQLITE_ROW ? sqlite3_column_int64(handle, 0) : nil }
    }

    /// Steps a query without parameters through every row, calling `body` with a reader of the current row, then
    /// resets it.
    mutating func forEachRow(_ body: (DirectRow) throws -> Void) throws {
        defer { self.reset() }
        while let row = try self.nextRow() {
            try body(row)
        }
    }

    /// Steps a query without parameters to its next row, or returns `nil` (and resets it) after the last. The row
    /// is valid until the next step.
    mutating func nextRow() throws -> DirectRow? {
        precondition(self.position == sqlite3_bind_parameter_count(self.handle), "every parameter of a statement must be bound")
        let code = sqlite3_step(self.handle)
        if code == SQLITE_ROW { return DirectRow(handle: self.handle) }
        self.reset()
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(self.db.sqliteConnection)),
                message: self.db.lastErrorMessage)
        }
        return nil
    }

    private mutating func reset() {
        sqlite3_reset(self.handle)
        sqlite3_clear_bindings(self.handle)
        self.position = 0
    }

    /// Steps the statement once, reads what `read` wants of its result, and resets it for the next values.
    private mutating func step<T>(_ read: (Int32) -> T) throws -> T {
        precondition(
            self.position == sqlite3_bind_parameter_count(self.handle), "every parameter of a statement must be bound")
        defer {
            sqlite3_reset(self.handle)
            sqlite3_clear_bindings(self.handle)
            self.position = 0
            self.bindFailure = nil
        }
        if let failure = self.bindFailure {
            throw DatabaseError(resultCode: ResultCode(rawValue: failure), message: "a value could not be bound")
        }
        let code = sqlite3_step(self.handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(self.db.sqliteConnection)),
                message: self.db.lastErrorMessage)
        }
        return read(code)
    }

    private mutating func check(_ code: Int32) {
        if code != SQLITE_OK, self.bindFailure == nil {
            self.bindFailure = code
        }
    }

    /// A valid address for the empty text (bound with its length, 0).
    private static var empty: UnsafePointer<UInt8> {
        UnsafePointer(bitPattern: UInt(bitPattern: ("" as StaticString).utf8Start))!
    }

    /// SQLite's `SQLITE_TRANSIENT`: it copies the value before the call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}

/// The current row of a ``DirectStatement`` being stepped, read through SQLite's C API without boxing.
struct DirectRow {
    let handle: OpaquePointer

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(self.handle, column)
    }

    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(self.handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(self.handle, column)
    }

    func text(_ column: Int32) -> String {
        String(decoding: self.textBytes(column), as: UTF8.self)
    }

    /// The UTF-8 bytes of a text column, valid only until the statement steps again; empty for NULL.
    func textBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = sqlite3_column_text(self.handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(self.handle, column)))
    }

    /// The bytes of a blob column, valid only until the statement steps again; empty for NULL.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        guard let bytes = sqlite3_column_blob(self.handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(self.handle, column)))
    }
}

/// The statements one transaction's hot writes run, by the address of their SQL text: an insert run for every row of
/// a batch finds its statement without hashing its text each time, as GRDB's cache, keyed by the text, does (a
/// twentieth of the committing thread of an events ingest).
final class DirectStatements {
    let db: Database
    /// A transaction runs a handful of statements: a scan of their addresses beats hashing one. `rows` tells the
    /// inserts of several rows apart, 0 for a statement as written.
    private var statements: [(address: UInt, rows: Int, statement: Statement)] = []

    init(_ db: Database) {
        self.db = db
    }

    /// The statement for `sql`, prepared once per transaction (and cached by GRDB beyond it).
    func statement(_ sql: StaticString) throws -> Statement {
        try self.statement(sql, rows: 0) { sql.description }
    }

    /// The statement inserting `rows` rows at once: `insert` (`INSERT INTO t (a, b) VALUES`) followed by `rows`
    /// groups of `columns` parameters; prepared once per transaction for each number of rows.
    func statement(insert: StaticString, columns: Int, rows: Int) throws -> Statement {
        precondition(columns > 0 && rows > 0, "an insert has at least one row of at least one value")
        return try self.statement(insert, rows: rows) {
            let row = "(" + repeatElement("?", count: columns).joined(separator: ", ") + ")"
            return insert.description + " " + repeatElement(row, count: rows).joined(separator: ", ")
        }
    }

    private func statement(_ key: StaticString, rows: Int, sql: () -> String) throws -> Statement {
        let address = UInt(bitPattern: key.utf8Start)
        for entry in self.statements where entry.address == address && entry.rows == rows {
            return entry.statement
        }
        let statement = try self.db.cachedStatement(sql: sql())
        self.statements.append((address, rows, statement))
        return statement
    }
}
