public import CleanRoomCore
public import Foundation
internal import GRDB

/// Subject attributes: one value per subject and name, the newest one kept.
///
/// A subject's attributes are one row of `subject_attributes`, a JSON object from name to `[value, updated
/// milliseconds]` with sorted keys: an ingest writes a person's half a dozen attributes as one row, not six.
public struct AttributeRepository {
    let db: Database
    var changes: ChangeCollector? = nil
    let statements: DirectStatements

    /// Sets an attribute unless the stored value is newer.
    ///
    /// - Returns: `true` when the attribute now holds this value; `false` when a value with a later
    ///   ``StoredAttribute/updatedAt`` was kept (an out-of-order or replayed record).
    /// - Throws: ``StoreError`` `constraint` when the subject does not exist.
    @discardableResult
    public func upsert(_ attribute: StoredAttribute) throws -> Bool {
        try self.upsert([attribute], of: attribute.subject) == 1
    }

    /// Sets attributes of one subject, each unless the stored value of that name is newer.
    ///
    /// - Returns: How many of `attributes` the subject now holds (the others met a newer value).
    /// - Throws: ``StoreError`` `invalidArgument` when an attribute is about another subject or a name is given
    ///   twice; `constraint` when the subject does not exist.
    @discardableResult
    public func upsert(_ attributes: [StoredAttribute], of subject: SubjectID) throws -> Int {
        guard attributes.allSatisfy({ $0.subject == subject }) else {
            throw StoreError(code: .invalidArgument, message: "every attribute of one upsert must be about its subject")
        }
        guard Set(attributes.map(\.name)).count == attributes.count else {
            throw StoreError(code: .invalidArgument, message: "an upsert lists the same attribute name twice")
        }
        guard !attributes.isEmpty else { return 0 }
        self.changes?.touch(subject)
        return try performing("set attributes") {
            let stored = try self.storedValues(of: subject)
            var values = stored ?? [:]
            var applied = 0
            for attribute in attributes {
                let time = attribute.updatedAt.storedMilliseconds
                if let held = values[attribute.name], held.updatedAt > time { continue }
                values[attribute.name] = (attribute.value, time)
                applied += 1
            }
            guard applied > 0 else { return 0 }
            var write = try DirectStatement(
                self.statements,
                sql: stored == nil
                    ? "INSERT INTO subject_attributes (attributes, subject_id) VALUES (?, ?)"
                    : "UPDATE subject_attributes SET attributes = ? WHERE subject_id = ?")
            write.bind(AttributeRow(values).text)
            write.bind(subject.rawValue)
            try write.run()
            return applied
        }
    }

    /// Writes the attributes of a subject that has none yet (a subject just created).
    ///
    /// - Throws: ``StoreError`` `constraint` when the subject does not exist or already has attributes.
    public func insert(_ row: AttributeRow, of subject: SubjectID) throws {
        try self.insert(CollectionOfOne((subject: subject, attributes: row)))
    }

    /// Writes the attributes of subjects that have none yet, several per statement: what ``insert(_:of:)`` does
    /// for each, for the many new people a batch brings. Empty rows are skipped.
    ///
    /// - Throws: ``StoreError`` `constraint` when a subject does not exist or already has attributes; then none of
    ///   the rows of the statement it was in are written, and the transaction should be rolled back.
    public func insert(contentsOf rows: [(subject: SubjectID, attributes: AttributeRow)]) throws {
        try self.insert(rows)
    }

    // Generic only inside the module, where each use is specialized (see ``ConsentRepository``).
    private func insert(_ rows: some Collection<(subject: SubjectID, attributes: AttributeRow)>) throws {
        try performing("insert attributes") {
            try DirectStatement.insert(
                rows.lazy.filter { !$0.attributes.isEmpty }, into: self.statements,
                "INSERT INTO subject_attributes (attributes, subject_id) VALUES", columns: 2
            ) { insert, row in
                self.changes?.touch(row.subject)
                insert.bind(row.attributes.text)
                insert.bind(row.subject.rawValue)
            }
        }
    }

    /// The attributes of one subject, by name.
    public func attributes(of subject: SubjectID) throws -> [StoredAttribute] {
        try performing("read the attributes of a subject") {
            try Self.attributes(of: subject, self.storedValues(of: subject) ?? [:])
        }
    }

    /// Calls `body` with every attribute, by subject then name, streaming from the database.
    public func forEach(_ body: (StoredAttribute) throws -> Void) throws {
        try performing("read the attributes") {
            let rows = try Row.fetchCursor(
                self.db, sql: "SELECT subject_id, attributes FROM subject_attributes ORDER BY subject_id")
            while let row = try rows.next() {
                try Self.attributes(of: row.subject(at: 0), try Self.decode(row[1])).forEach(body)
            }
        }
    }

    /// Deletes the values of attribute `name` last set before `cutoff` (retention); a subject left without
    /// attributes loses its row.
    ///
    /// - Returns: The number of values deleted.
    @discardableResult
    public func delete(named name: String, updatedBefore cutoff: Date) throws -> Int {
        self.changes?.touchEveryone()
        return try performing("delete expired attributes") {
            // The path is built by SQLite's own quoting, whatever the name holds.
            try self.db.execute(
                sql: """
                    UPDATE subject_attributes SET attributes = json_remove(attributes, '$.' || json_quote(?1))
                    WHERE json_extract(attributes, '$.' || json_quote(?1) || '[1]') < ?2
                    """,
                arguments: [name, cutoff.storedMilliseconds]
            )
            let deleted = self.db.changesCount
            try self.db.execute(sql: "DELETE FROM subject_attributes WHERE attributes = '{}'")
            return deleted
        }
    }

    /// Deletes the values of every attribute whose name is none of `names` (a policy that no longer declares an
    /// attribute keeps none of it); a subject left without attributes loses its row.
    ///
    /// - Returns: The number of values deleted.
    @discardableResult
    public func delete(namesOtherThan names: Set<String>) throws -> Int {
        self.changes?.touchEveryone()
        return try performing("delete undeclared attributes") {
            var deleted = 0
            var rewritten: [(SubjectID, Values)] = []
            let rows = try Row.fetchCursor(self.db, sql: "SELECT subject_id, attributes FROM subject_attributes")
            while let row = try rows.next() {
                let values = try Self.decode(row[1])
                let kept = values.filter { names.contains($0.key) }
                if kept.count < values.count {
                    deleted += values.count - kept.count
                    rewritten.append((row.subject(at: 0), kept))
                }
            }
            for (subject, kept) in rewritten {
                var write = try DirectStatement(
                    self.db,
                    sql: kept.isEmpty
                        ? "DELETE FROM subject_attributes WHERE subject_id = ?"
                        : "UPDATE subject_attributes SET attributes = ? WHERE subject_id = ?")
                if !kept.isEmpty { write.bind(AttributeRow(kept).text) }
                write.bind(subject.rawValue)
                try write.run()
            }
            return deleted
        }
    }

    // MARK: Encoding

    private typealias Values = [String: (value: String, updatedAt: Int64)]

    private func storedValues(of subject: SubjectID) throws -> Values? {
        try String.fetchOne(
            self.db.cachedStatement(sql: "SELECT attributes FROM subject_attributes WHERE subject_id = ?"),
            arguments: [subject.rawValue]
        ).map(Self.decode)
    }

    private static func decode(_ text: String) throws -> Values {
        guard case .object(let object)? = try? CanonicalJSON.parse(Array(text.utf8)) else {
            throw StoreError(code: .corrupt, message: "a row of subject_attributes is not a JSON object")
        }
        return try object.mapValues { entry in
            guard case .array(let pair) = entry, pair.count == 2, case .string(let value) = pair[0],
                case .integer(let time) = pair[1]
            else {
                throw StoreError(code: .corrupt, message: "a value in subject_attributes is not [value, time]")
            }
            return (value, Int64(time))
        }
    }

    private static func attributes(of subject: SubjectID, _ values: Values) -> [StoredAttribute] {
        values.sorted { $0.key < $1.key }.map {
            StoredAttribute(
                subject: subject, name: $0.key, value: $0.value.value,
                updatedAt: Date(storedMilliseconds: $0.value.updatedAt))
        }
    }
}
