public import CleanRoomCore
internal import GRDB

/// Per-subject data keys, wrapped by the key-encryption key (KEK). One key per subject.
public struct DataKeyRepository {
    let db: Database

    /// How many keys ``rewrapAll(_:)`` holds in memory at a time.
    static let rewrapPageSize = 512

    /// Stores the data key of a subject.
    ///
    /// - Throws: ``StoreError`` `constraint` when the subject already has a key or does not exist.
    public func insert(_ key: StoredDataKey) throws {
        try performing("insert a data key") {
            var insert = try DirectStatement(
                self.db, sql: "INSERT INTO data_keys (subject_id, kek_version, wrapped) VALUES (?, ?, ?)")
            insert.bind(key.subject.rawValue)
            insert.bind(key.kekVersion)
            insert.bind(key.wrapped)
            try insert.run()
        }
    }

    /// The data key of a subject, or `nil` when it has none (never created, or destroyed).
    public func key(for subject: SubjectID) throws -> StoredDataKey? {
        try performing("read a data key") {
            try Row.fetchOne(
                self.db.cachedStatement(
                    sql: "SELECT subject_id, kek_version, wrapped FROM data_keys WHERE subject_id = ?"
                ),
                arguments: [subject.rawValue]
            ).map(Self.key)
        }
    }

    /// Calls `body` with every data key, by subject, streaming from the database.
    public func forEach(_ body: (StoredDataKey) throws -> Void) throws {
        try performing("read the data keys") {
            let rows = try Row.fetchCursor(
                self.db,
                sql: "SELECT subject_id, kek_version, wrapped FROM data_keys ORDER BY subject_id"
            )
            while let row = try rows.next() {
                try body(Self.key(row))
            }
        }
    }

    /// The number of data keys wrapped by each KEK version.
    public func countsByKEKVersion() throws -> [Int: Int] {
        try performing("count the data keys") {
            var counts: [Int: Int] = [:]
            let rows = try Row.fetchCursor(
                self.db,
                sql: "SELECT kek_version, COUNT(*) FROM data_keys GROUP BY kek_version"
            )
            while let row = try rows.next() {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Replaces every data key with `transform(key)`: what key rotation uses to rewrap all keys under a
    /// new KEK version.
    ///
    /// Keys are read a page at a time, so memory stays flat. All replacements belong to the enclosing
    /// write transaction: when `transform` throws, the error propagates and, the transaction being rolled
    /// back, every key keeps its old value.
    ///
    /// - Parameter transform: Returns the new key for the same subject; returning the key unchanged
    ///   leaves its row untouched (a rotation that was interrupted can simply be run again).
    /// - Returns: The number of keys replaced.
    /// - Throws: ``StoreError`` `invalidArgument` when `transform` changes the subject of a key.
    @discardableResult
    public func rewrapAll(_ transform: (StoredDataKey) throws -> StoredDataKey) throws -> Int {
        try performing("rewrap the data keys") {
            let page = try self.db.cachedStatement(
                sql: """
                    SELECT subject_id, kek_version, wrapped FROM data_keys
                    WHERE subject_id > ? ORDER BY subject_id LIMIT ?
                    """
            )
            let update = try self.db.cachedStatement(
                sql: "UPDATE data_keys SET kek_version = ?, wrapped = ? WHERE subject_id = ?"
            )
            var replaced = 0
            var after = Int64.min
            while true {
                let keys = try Row.fetchAll(page, arguments: [after, Self.rewrapPageSize]).map(Self.key)
                guard let last = keys.last else { return replaced }
                for key in keys {
                    let newKey = try transform(key)
                    guard newKey.subject == key.subject else {
                        throw StoreError(
                            code: .invalidArgument,
                            message: "rewrapping a data key must keep its subject; no key was replaced"
                        )
                    }
                    guard newKey != key else { continue }
                    try update.execute(arguments: [newKey.kekVersion, newKey.wrapped.blob, key.subject.rawValue])
                    replaced += 1
                }
                after = last.subject.rawValue
            }
        }
    }

    /// Destroys the data key of a subject (crypto-shredding at erasure): their sealed values can no
    /// longer be opened. Deleted content is overwritten in the file (`secure_delete`); call
    /// ``Store/checkpoint()`` afterwards to clear it from the write-ahead log too.
    ///
    /// - Returns: `false` when the subject had no key.
    public func delete(for subject: SubjectID) throws -> Bool {
        try performing("delete a data key") {
            try self.db.cachedStatement(sql: "DELETE FROM data_keys WHERE subject_id = ?")
                .execute(arguments: [subject.rawValue])
            return self.db.changesCount > 0
        }
    }

    private static func key(_ row: Row) -> StoredDataKey {
        StoredDataKey(subject: row.subject(at: 0), kekVersion: row[1], wrapped: row.bytes(at: 2))
    }
}
