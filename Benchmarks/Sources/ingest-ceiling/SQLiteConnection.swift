internal import GRDBSQLite

/// A connection through SQLite's C API, closed when released. Nothing between the tool and SQLite.
final class SQLiteConnection {
    let handle: OpaquePointer
    private let path: String

    /// Opens the database at `path`: read-only and never created for a source, read-write and created when
    /// missing for the copy.
    init(path: String, readOnly: Bool) throws {
        var handle: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw CeilingError(
                code: readOnly ? .invalidSource : .sqlite,
                message: "cannot open the database \(path): \(reason)"
            )
        }
        self.handle = handle
        self.path = path
    }

    deinit {
        sqlite3_close_v2(self.handle)
    }

    /// Runs `sql`, one or more statements that return no rows the caller needs.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(self.handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            throw self.error("cannot run `\(Self.firstLine(of: sql))`", reason: reason)
        }
    }

    /// Compiles `sql`, a single statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(self.handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw self.error("cannot prepare `\(Self.firstLine(of: sql))`")
        }
        return SQLiteStatement(statement, connection: self)
    }

    /// Every row `sql` returns, each column as a ``SQLiteValue``.
    func rows(_ sql: String) throws -> [[SQLiteValue]] {
        let statement = try self.prepare(sql)
        var rows: [[SQLiteValue]] = []
        while try statement.step() {
            rows.append(statement.row())
        }
        return rows
    }

    /// An error naming the database and what failed; `reason` defaults to the connection's last error.
    func error(_ what: String, reason: String? = nil) -> CeilingError {
        CeilingError(
            code: .sqlite,
            message: "\(what) on \(self.path): \(reason ?? String(cString: sqlite3_errmsg(self.handle)))"
        )
    }

    private static func firstLine(of sql: String) -> Substring {
        sql.split(separator: "\n", maxSplits: 1).first ?? ""
    }
}

/// A compiled statement, finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    private let connection: SQLiteConnection

    fileprivate init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(self.handle)
    }

    /// Steps once: `true` when a row is ready to read, `false` when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(self.handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            throw self.connection.error("cannot run `\(self.sql)`")
        }
    }

    /// The current row, every column.
    func row() -> [SQLiteValue] {
        (0..<sqlite3_column_count(self.handle)).map { SQLiteValue(statement: self.handle, column: $0) }
    }

    /// The names of the columns the statement returns.
    var columnNames: [String] {
        (0..<sqlite3_column_count(self.handle)).map { String(cString: sqlite3_column_name(self.handle, $0)) }
    }

    /// Binds `values` to the parameters in order, runs the statement to completion and resets it.
    func insert(_ values: [SQLiteValue]) throws {
        try self.insert(rows: CollectionOfOne(values))
    }

    /// Binds the values of `rows`, one row after another, to the parameters in order, runs the statement to
    /// completion and resets it.
    func insert(rows: some Collection<[SQLiteValue]>) throws {
        defer { sqlite3_reset(self.handle) }
        var index: Int32 = 0
        for values in rows {
            for value in values {
                index += 1
                guard value.bind(to: self.handle, at: index) == SQLITE_OK else {
                    throw self.connection.error("cannot bind parameter \(index) of `\(self.sql)`")
                }
            }
        }
        guard sqlite3_step(self.handle) == SQLITE_DONE else {
            throw self.connection.error("cannot run `\(self.sql)`")
        }
    }

    private var sql: String {
        String(cString: sqlite3_sql(self.handle))
    }
}
