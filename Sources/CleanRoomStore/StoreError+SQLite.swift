internal import GRDB

extension StoreError {
    /// Maps an SQLite error to a store error for `operation` ("insert an event", …).
    ///
    /// SQLite's own message is kept: it names tables, columns and constraints but never a bound value,
    /// and CleanRoom binds every value. The statement text and its arguments are dropped.
    init(_ error: DatabaseError, operation: String) {
        let code: Code
        let hint: String
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            code = .corrupt
            hint = "the database file is damaged or is not a CleanRoom database; restore it from a backup"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            code = .busy
            hint = "another process keeps the database locked; retry when it has finished"
        case .SQLITE_CONSTRAINT:
            code = .constraint
            hint = "the row breaks a schema rule"
        case .SQLITE_READONLY:
            code = .readOnly
            hint = "the database cannot be written here (read-only access or file permissions)"
        case .SQLITE_FULL:
            code = .diskFull
            hint = "free disk space and retry"
        case .SQLITE_IOERR:
            code = .io
            hint = "the operating system failed to read or write the file; check the disk"
        case .SQLITE_CANTOPEN, .SQLITE_PERM:
            code = .cannotOpen
            hint = "check that the directory exists and is writable"
        default:
            code = .database
            hint = "SQLite refused the operation"
        }
        let detail = error.message.map { " (\($0), SQLite code \(error.extendedResultCode.rawValue))" }
            ?? " (SQLite code \(error.extendedResultCode.rawValue))"
        self.init(code: code, message: "could not \(operation): \(hint)\(detail)")
    }
}

/// Runs `body`, turning SQLite errors into ``StoreError``s that describe `operation`.
///
/// Errors of other types (a caller's closure, a ``StoreError``) pass through unchanged.
func performing<T>(_ operation: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as DatabaseError {
        throw StoreError(error, operation: operation)
    }
}

/// The async form of ``performing(_:_:)``.
func performing<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as DatabaseError {
        throw StoreError(error, operation: operation)
    }
}
