import CleanRoomCore
public import Foundation
internal import GRDB

// How values are represented in SQLite: times as integer milliseconds since 1970 (UTC), byte strings as
// BLOBs. These helpers are the only place that knows it.

extension Date {
    /// The stored form: whole milliseconds since 1970-01-01 UTC, rounded down.
    public var storedMilliseconds: Int64 {
        Int64((self.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The time a stored millisecond count stands for.
    public init(storedMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(storedMilliseconds) / 1000)
    }
}

extension Array where Element == UInt8 {
    /// The BLOB form of a byte string.
    var blob: Data { Data(self) }
}

extension Row {
    /// The bytes of a non-null BLOB column.
    func bytes(at index: Int) -> [UInt8] {
        [UInt8](self[index] as Data)
    }

    /// The time of a non-null millisecond column.
    func date(at index: Int) -> Date {
        Date(storedMilliseconds: self[index] as Int64)
    }

    /// The time of a nullable millisecond column.
    func optionalDate(at index: Int) -> Date? {
        (self[index] as Int64?).map(Date.init(storedMilliseconds:))
    }

    /// The subject of a non-null subject id column.
    func subject(at index: Int) -> SubjectID {
        SubjectID(self[index] as Int64)
    }

    /// The pseudonym of a non-null BLOB column, which the schema keeps at 32 bytes.
    func pseudonym(at index: Int, table: String) throws -> Pseudonym {
        guard let pseudonym = Pseudonym(bytes: self.bytes(at: index)) else {
            throw StoreError(code: .corrupt, message: "a pseudonym in \(table) is not 32 bytes long")
        }
        return pseudonym
    }

    /// The identifier kind of a non-null kind column.
    func identifierKind(at index: Int, table: String) throws -> IdentifierKind {
        guard let kind = IdentifierKind(rawValue: self[index] as String) else {
            throw StoreError(code: .corrupt, message: "\(table).kind holds an unknown identifier kind")
        }
        return kind
    }
}
