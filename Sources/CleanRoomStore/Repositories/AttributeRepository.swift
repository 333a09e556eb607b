public import CleanRoomCore
public import Foundation
internal import GRDB

/// Subject attributes: one value per subject and name, the newest one kept.
public struct AttributeRepository {
    let db: Database

    /// Sets an attribute unless the stored value is newer.
    ///
    /// - Returns: `true` when the attribute now holds this value; `false` when a value with a later
    ///   ``StoredAttribute/updatedAt`` was kept (an out-of-order or replayed record).
    /// - Throws: ``StoreError`` `constraint` when the subject does not exist.
    @discardableResult
    public func upsert(_ attribute: StoredAttribute) throws -> Bool {
        try performing("set an attribute") {
            var upsert = try DirectStatement(
                self.db,
                sql: """
                    INSERT INTO attributes (subject_id, name, value, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (subject_id, name) DO UPDATE
                    SET value = excluded.value, updated_at = excluded.updated_at
                    WHERE excluded.updated_at >= attributes.updated_at
                    """)
            upsert.bind(attribute.subject.rawValue)
            upsert.bind(attribute.name)
            upsert.bind(attribute.value)
            upsert.bind(attribute.updatedAt.storedMilliseconds)
            try upsert.run()
            return self.db.changesCount > 0
        }
    }

    /// The attributes of one subject, by name.
    public func attributes(of subject: SubjectID) throws -> [StoredAttribute] {
        try performing("read the attributes of a subject") {
            try Array(
                Row.fetchCursor(
                    self.db.cachedStatement(
                        sql: """
                            SELECT subject_id, name, value, updated_at FROM attributes
                            WHERE subject_id = ? ORDER BY name
                            """
                    ),
                    arguments: [subject.rawValue]
                ).map(Self.attribute)
            )
        }
    }

    /// Calls `body` with every attribute, by subject then name, streaming from the database.
    public func forEach(_ body: (StoredAttribute) throws -> Void) throws {
        try performing("read the attributes") {
            let rows = try Row.fetchCursor(
                self.db,
                sql: "SELECT subject_id, name, value, updated_at FROM attributes ORDER BY subject_id, name"
            )
            while let row = try rows.next() {
                try body(Self.attribute(row))
            }
        }
    }

    /// Deletes the values of attribute `name` last set before `cutoff` (retention).
    ///
    /// - Returns: The number of values deleted.
    @discardableResult
    public func delete(named name: String, updatedBefore cutoff: Date) throws -> Int {
        try performing("delete expired attributes") {
            try self.db.execute(
                sql: "DELETE FROM attributes WHERE name = ? AND updated_at < ?",
                arguments: [name, cutoff.storedMilliseconds]
            )
            return self.db.changesCount
        }
    }

    private static func attribute(_ row: Row) -> StoredAttribute {
        StoredAttribute(subject: row.subject(at: 0), name: row[1], value: row[2], updatedAt: row.date(at: 3))
    }
}
