public import Foundation
internal import GRDB

/// Partners' uploaded audiences, held only as pseudonyms (DESIGN.md sections 4 and 6.6): one row per audience,
/// its pseudonyms end to end in one BLOB, 32 bytes each, in the order the caller gave them.
///
/// Audiences hold no data of the owner's people, so writing them tells the change feed nothing.
public struct AudienceRepository {
    let db: Database

    /// Stores an audience and its pseudonyms (`size` of them, 32 bytes each, end to end).
    ///
    /// - Throws: ``StoreError`` `invalidArgument` when the pseudonyms are not `size` × 32 bytes; `constraint` when
    ///   an audience with the same id exists.
    public func insert(_ audience: StoredAudience, pseudonyms: [UInt8]) throws {
        guard audience.size >= 0, pseudonyms.count == audience.size * 32 else {
            throw StoreError(
                code: .invalidArgument, message: "an audience's pseudonyms must be its size times 32 bytes")
        }
        try performing("store an audience") {
            var insert = try DirectStatement(
                self.db,
                sql: """
                    INSERT INTO audiences (id, owner, created_at, expires_at, size, pseudonyms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            insert.bind(audience.id)
            insert.bind(audience.owner)
            insert.bind(audience.createdAt.storedMilliseconds)
            insert.bind(audience.expiresAt.storedMilliseconds)
            insert.bind(audience.size)
            insert.bind(pseudonyms)
            try insert.run()
        }
    }

    /// The audience with `id`, whoever owns it and whether or not it has expired; `nil` when there is none.
    public func find(id: String) throws -> StoredAudience? {
        try performing("look up an audience") {
            try Row.fetchOne(
                self.db.cachedStatement(
                    sql: "SELECT id, owner, created_at, expires_at, size FROM audiences WHERE id = ?"),
                arguments: [id]
            ).map(Self.audience)
        }
    }

    /// The audiences `owner` uploaded, oldest first, without their pseudonyms.
    public func audiences(ownedBy owner: String) throws -> [StoredAudience] {
        try performing("list audiences") {
            try Row.fetchAll(
                self.db.cachedStatement(
                    sql: """
                        SELECT id, owner, created_at, expires_at, size FROM audiences
                        WHERE owner = ? ORDER BY created_at, id
                        """),
                arguments: [owner]
            ).map(Self.audience)
        }
    }

    /// The pseudonyms of audience `id`, 32 bytes each end to end as they were stored; `nil` when there is no such
    /// audience.
    public func pseudonyms(ofAudience id: String) throws -> [UInt8]? {
        try performing("read an audience's pseudonyms") {
            try Row.fetchOne(
                self.db.cachedStatement(sql: "SELECT pseudonyms FROM audiences WHERE id = ?"), arguments: [id]
            ).map { $0.bytes(at: 0) }
        }
    }

    /// Deletes audience `id` if `owner` owns it.
    ///
    /// - Returns: the audience deleted, or `nil` when there is none with that id owned by `owner`.
    public func delete(id: String, ownedBy owner: String) throws -> StoredAudience? {
        guard let audience = try self.find(id: id), audience.owner == owner else { return nil }
        try performing("delete an audience") {
            try self.db.cachedStatement(sql: "DELETE FROM audiences WHERE id = ?").execute(arguments: [id])
        }
        return audience
    }

    /// Deletes every audience that expired at or before `time`.
    ///
    /// - Returns: the audiences deleted, oldest first.
    public func deleteExpired(at time: Date) throws -> [StoredAudience] {
        try performing("delete expired audiences") {
            let expired = try Row.fetchAll(
                self.db.cachedStatement(
                    sql: """
                        SELECT id, owner, created_at, expires_at, size FROM audiences
                        WHERE expires_at <= ? ORDER BY created_at, id
                        """),
                arguments: [time.storedMilliseconds]
            ).map(Self.audience)
            try self.db.cachedStatement(sql: "DELETE FROM audiences WHERE expires_at <= ?")
                .execute(arguments: [time.storedMilliseconds])
            return expired
        }
    }

    /// The number of audiences held.
    public func count() throws -> Int {
        try performing("count audiences") {
            try Int.fetchOne(self.db, sql: "SELECT COUNT(*) FROM audiences") ?? 0
        }
    }

    private static func audience(_ row: Row) -> StoredAudience {
        StoredAudience(
            id: row[0], owner: row[1], createdAt: row.date(at: 2), expiresAt: row.date(at: 3), size: row[4])
    }
}
