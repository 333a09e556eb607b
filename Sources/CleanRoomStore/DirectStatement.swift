internal import GRDB
internal import GRDBSQLite

/// A cached statement whose values are bound and stepped through SQLite's C API directly.
///
/// The hot write paths of an ingest (several rows per person) use it instead of GRDB's
/// `execute(arguments:)`, which boxes every value into a `DatabaseValue` array first: on a customer batch
/// that boxing cost as much as SQLite's own work. Values are bound in order, starting at the first `?`.
struct DirectStatement {
    private let db: Database
    private let statement: OpaquePointer
    private var position: Int32 = 0

    /// The statement for `sql`, from the connection's cache, reset and ready for its values.
    init(_ db: Database, sql: String) throws {
        self.db = db
        self.statement = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(self.statement)
    }

    mutating func bind(_ value: Int64) {
        self.position += 1
        sqlite3_bind_int64(self.statement, self.position, value)
    }

    mutating func bind(_ value: Int) {
        self.bind(Int64(value))
    }

    mutating func bind(_ value: Double?) {
        self.position += 1
        if let value {
            sqlite3_bind_double(self.statement, self.position, value)
        } else {
            sqlite3_bind_null(self.statement, self.position)
        }
    }

    mutating func bind(_ value: String?) {
        self.position += 1
        guard var value else {
            sqlite3_bind_null(self.statement, self.position)
            return
        }
        let position = self.position
        value.withUTF8 { bytes in
            if let address = bytes.baseAddress {
                _ = sqlite3_bind_text(self.statement, position, address, Int32(bytes.count), Self.transient)
            } else {
                // No address for an empty string: SQLite would bind NULL, not ''.
                _ = sqlite3_bind_text(self.statement, position, "", 0, nil)
            }
        }
    }

    mutating func bind(_ value: [UInt8]) {
        self.position += 1
        let position = self.position
        value.withUnsafeBytes { bytes in
            if let address = bytes.baseAddress {
                _ = sqlite3_bind_blob(self.statement, position, address, Int32(bytes.count), Self.transient)
            } else {
                _ = sqlite3_bind_zeroblob(self.statement, position, 0)
            }
        }
    }

    /// Runs the statement to completion and resets it for the next values.
    ///
    /// - Throws: GRDB's `DatabaseError` with SQLite's code and message (never a bound value), which
    ///   ``performing(_:_:)`` turns into a ``StoreError``.
    mutating func run() throws {
        defer {
            sqlite3_reset(self.statement)
            self.position = 0
        }
        let code = sqlite3_step(self.statement)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(self.db.sqliteConnection)),
                message: self.db.lastErrorMessage)
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`: it copies the value before the call returns.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
