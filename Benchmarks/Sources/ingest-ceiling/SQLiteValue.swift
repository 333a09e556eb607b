internal import GRDBSQLite

/// One column value of a row, held in memory between the (untimed) read and the (timed) insert.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// SQLite copies a bound text or blob before the bind returns (`SQLITE_TRANSIENT`), as CleanRoom's own
    /// statements ask. Swift 6 rejects a global of this type, hence a computed property.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }

    /// The value of column `index` of the row `statement` stands on.
    init(statement: OpaquePointer, column index: Int32) {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            self = .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            self = .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            // `sqlite3_column_text` first, then `sqlite3_column_bytes`, as SQLite's documentation orders them.
            let text = sqlite3_column_text(statement, index)
            let count = Int(sqlite3_column_bytes(statement, index))
            let utf8 = UnsafeRawBufferPointer(start: text, count: count)
            self = .text(String(decoding: utf8, as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(statement, index)
            let count = Int(sqlite3_column_bytes(statement, index))
            self = .blob([UInt8](UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            self = .null
        }
    }

    /// Binds the value to parameter `index` (1-based) of `statement`; returns SQLite's result code.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let value):
            return sqlite3_bind_int64(statement, index, value)
        case .real(let value):
            return sqlite3_bind_double(statement, index, value)
        case .text(var value):
            return value.withUTF8 { bytes in
                // An empty buffer may have no address, and a NULL pointer would bind NULL instead of ''.
                guard let address = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, nil) }
                return sqlite3_bind_text(statement, index, address, Int32(bytes.count), Self.transient)
            }
        case .blob(let value):
            return value.withUnsafeBytes { bytes in
                guard let address = bytes.baseAddress else { return sqlite3_bind_zeroblob(statement, index, 0) }
                return sqlite3_bind_blob(statement, index, address, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// The value as an integer, for the id and subject id columns that place a row in a transaction.
    var integer: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }
}
