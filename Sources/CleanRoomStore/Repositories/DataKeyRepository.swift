public import CleanRoomCore
internal import GRDB

/// Per-subject data keys, wrapped by the key-encryption key (KEK). One key per subject, kept in the store's key
/// vault (a file apart from the database, see ``Store/open(path:options:)``); changes made in a write transaction
/// reach the vault with its commit.
public struct DataKeyRepository {
    let db: Database
    let vault: KeyVault
    /// The key changes of the enclosing write transaction; `nil` in a read transaction.
    let changes: KeyChanges?
    let statements: DirectStatements

    /// How many keys ``rewrapAll(_:)`` holds in memory at a time.
    static let rewrapPageSize = 512

    /// Stores the data key of a subject.
    ///
    /// - Throws: ``StoreError`` `constraint` when the subject already has a key or does not exist;
    ///   `readOnly` in a read transaction.
    public func insert(_ key: StoredDataKey) throws {
        let changes = try self.writable()
        let exists = try changes.created.contains(key.subject) || performing("look up a subject") {
            var lookup = try DirectStatement(self.statements, sql: "SELECT EXISTS (SELECT 1 FROM subjects WHERE id = ?)")
            lookup.bind(key.subject.rawValue)
            return try lookup.integer() == 1
        }
        guard exists, changes.inserted[key.subject] == nil, !changes.writtenAhead.contains(key.subject) else {
            throw StoreError(
                code: .constraint,
                message: exists ? "the subject already has a data key" : "a data key needs an existing subject")
        }
        if changes.deleted.remove(key.subject) != nil { changes.replacing.insert(key.subject) }
        changes.inserted[key.subject] = key
    }

    /// Stores the data keys of subjects this transaction created, in one transaction of the vault that starts at
    /// once on a thread of its own while this transaction goes on: an ingest writes its batch's other rows
    /// meanwhile. The vault commits it before the database commits; should the database not commit, the keys
    /// leave the vault again (and a crash in between leaves keys of subjects that do not exist, which the next
    /// open removes).
    ///
    /// - Throws: ``StoreError`` `constraint` when a subject was not created by this transaction or already has a
    ///   key, and nothing is written; `readOnly` in a read transaction.
    public func insert(keysOfNewSubjects keys: [StoredDataKey]) throws {
        let changes = try self.writable()
        guard !keys.isEmpty else { return }
        var subjects = Set<SubjectID>(minimumCapacity: keys.count)
        for key in keys {
            guard changes.created.contains(key.subject), changes.inserted[key.subject] == nil,
                !changes.writtenAhead.contains(key.subject), subjects.insert(key.subject).inserted
            else {
                throw StoreError(
                    code: .constraint,
                    message: changes.created.contains(key.subject)
                        ? "the subject already has a data key"
                        : "a data key written ahead needs a subject this transaction created")
            }
        }
        if changes.writtenAhead.isEmpty {
            changes.writtenAhead = subjects
        } else {
            changes.writtenAhead.formUnion(subjects)
        }
        changes.aheadWrites.append(self.vault.insertAhead(keys))
    }

    /// The data key of a subject, or `nil` when it has none (never created, or destroyed).
    public func key(for subject: SubjectID) throws -> StoredDataKey? {
        if let changes = self.changes {
            if let key = changes.inserted[subject] { return key }
            if changes.deleted.contains(subject) { return nil }
            if changes.writtenAhead.contains(subject) { try changes.waitForAheadWrites() }
        }
        return try performing("read a data key") {
            try self.vault.read { db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT subject_id, kek_version, wrapped FROM data_keys WHERE subject_id = ?"),
                    arguments: [subject.rawValue]
                ).map(Self.key)
            }
        }
    }

    /// Calls `body` with every data key, by subject, as the vault holds them (keys changed by the enclosing write
    /// transaction count once it commits), streaming from the vault so memory stays flat. `body` must not read data
    /// keys itself: the vault is busy with this read.
    public func forEach(_ body: (StoredDataKey) throws -> Void) throws {
        try performing("read the data keys") {
            try self.vault.read { db in
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT subject_id, kek_version, wrapped FROM data_keys ORDER BY subject_id")
                while let row = try rows.next() {
                    try body(Self.key(row))
                }
            }
        }
    }

    /// The number of data keys wrapped by each KEK version.
    public func countsByKEKVersion() throws -> [Int: Int] {
        try performing("count the data keys") {
            try self.vault.read { db in
                var counts: [Int: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT kek_version, COUNT(*) FROM data_keys GROUP BY kek_version") {
                    counts[row[0]] = row[1]
                }
                return counts
            }
        }
    }

    /// Replaces every data key with `transform(key)`: what key rotation uses to rewrap all keys under a
    /// new KEK version.
    ///
    /// All replacements are one transaction of the vault, committed when this returns: when `transform` throws,
    /// the error propagates and every key keeps its old value.
    ///
    /// - Parameter transform: Returns the new key for the same subject; returning the key unchanged
    ///   leaves its row untouched (a rotation that was interrupted can simply be run again).
    /// - Returns: The number of keys replaced.
    /// - Throws: ``StoreError`` `invalidArgument` when `transform` changes the subject of a key.
    @discardableResult
    public func rewrapAll(_ transform: (StoredDataKey) throws -> StoredDataKey) throws -> Int {
        _ = try self.writable()
        return try performing("rewrap the data keys") {
            try self.vault.write { db in
                let page = try db.cachedStatement(
                    sql: """
                        SELECT subject_id, kek_version, wrapped FROM data_keys
                        WHERE subject_id > ? ORDER BY subject_id LIMIT ?
                        """
                )
                let update = try db.cachedStatement(
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
    }

    /// Destroys the data key of a subject (crypto-shredding at erasure): their sealed values can no
    /// longer be opened, in the database or any copy of it. The key leaves the vault once the enclosing
    /// transaction commits; call ``Store/checkpoint()`` afterwards to clear it from the logs too.
    ///
    /// - Returns: `false` when the subject had no key.
    @discardableResult
    public func delete(for subject: SubjectID) throws -> Bool {
        let changes = try self.writable()
        changes.created.remove(subject)
        let held = try self.key(for: subject) != nil
        changes.inserted[subject] = nil
        if held { changes.deleted.insert(subject) }
        return held
    }

    /// Notes a subject the transaction has just created.
    func noteCreated(_ subject: SubjectID) {
        self.changes?.created.insert(subject)
    }

    private func writable() throws -> KeyChanges {
        guard let changes = self.changes else {
            throw StoreError(code: .readOnly, message: "data keys cannot be changed in a read transaction")
        }
        return changes
    }

    static func key(_ row: Row) -> StoredDataKey {
        StoredDataKey(subject: row.subject(at: 0), kekVersion: row[1], wrapped: row.bytes(at: 2))
    }
}
