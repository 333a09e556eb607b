public import CleanRoomCore
internal import GRDB

/// Sealed identifiers and the pseudonyms they are indexed under.
///
/// The store keeps no index on pseudonyms (DESIGN.md section 9): the caller holds the pseudonym →
/// subject lookup in memory, loads it at start with ``forEachPseudonym(_:)`` and keeps it current, and
/// avoids adding an identifier a subject already has.
public struct IdentifierRepository {
    let db: Database

    /// Adds one raw identifier (sealed once) with the pseudonyms of its variants.
    ///
    /// - Throws: ``StoreError`` `invalidArgument` without variants or with a variant name twice;
    ///   `constraint` when the subject does not exist.
    public func add(_ identifier: StoredIdentifier) throws {
        guard !identifier.variants.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "an identifier needs at least one variant pseudonym")
        }
        guard Set(identifier.variants.map(\.name)).count == identifier.variants.count else {
            throw StoreError(code: .invalidArgument, message: "an identifier lists the same variant name twice")
        }
        try performing("add an identifier") {
            var insert = try DirectStatement(
                self.db, sql: "INSERT INTO identifiers (subject_id, kind, sealed, added_at) VALUES (?, ?, ?, ?)")
            insert.bind(identifier.subject.rawValue)
            insert.bind(identifier.kind.rawValue)
            insert.bind(identifier.sealed)
            insert.bind(identifier.addedAt.storedMilliseconds)
            try insert.run()
            let identifierID = self.db.lastInsertedRowID
            var insertVariant = try DirectStatement(
                self.db, sql: "INSERT INTO identifier_pseudonyms (identifier_id, variant, pseudonym) VALUES (?, ?, ?)")
            for variant in identifier.variants {
                insertVariant.bind(identifierID)
                insertVariant.bind(variant.name)
                insertVariant.bind(variant.pseudonym.bytes)
                try insertVariant.run()
            }
        }
    }

    /// Calls `body` with every pseudonym held, in arrival order of the identifiers, streaming from the
    /// database so memory stays flat however many there are.
    public func forEachPseudonym(_ body: (StoredPseudonym) throws -> Void) throws {
        try performing("read the pseudonyms") {
            let rows = try Row.fetchCursor(
                self.db,
                sql: """
                    SELECT p.pseudonym, i.kind, p.variant, i.subject_id
                    FROM identifier_pseudonyms p JOIN identifiers i ON i.id = p.identifier_id
                    ORDER BY p.identifier_id, p.variant
                    """
            )
            while let row = try rows.next() {
                try body(Self.pseudonym(row))
            }
        }
    }

    /// The pseudonyms of one subject (for the suppression list at erasure), in arrival order.
    public func pseudonyms(of subject: SubjectID) throws -> [StoredPseudonym] {
        try performing("read the pseudonyms of a subject") {
            let rows = try Row.fetchCursor(
                self.db.cachedStatement(
                    sql: """
                        SELECT p.pseudonym, i.kind, p.variant, i.subject_id
                        FROM identifiers i JOIN identifier_pseudonyms p ON p.identifier_id = i.id
                        WHERE i.subject_id = ?
                        ORDER BY i.id, p.variant
                        """
                ),
                arguments: [subject.rawValue]
            )
            return try Array(rows.map(Self.pseudonym))
        }
    }

    /// The identifiers of one subject with their sealed values and variants (for access requests),
    /// in arrival order.
    public func identifiers(of subject: SubjectID) throws -> [StoredIdentifier] {
        try performing("read the identifiers of a subject") {
            let rows = try Row.fetchCursor(
                self.db.cachedStatement(
                    sql: """
                        SELECT i.id, i.kind, i.sealed, i.added_at, p.variant, p.pseudonym
                        FROM identifiers i JOIN identifier_pseudonyms p ON p.identifier_id = i.id
                        WHERE i.subject_id = ?
                        ORDER BY i.id, p.variant
                        """
                ),
                arguments: [subject.rawValue]
            )
            var identifiers: [StoredIdentifier] = []
            var currentID: Int64?
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let variant = StoredIdentifier.Variant(
                    name: row[4],
                    pseudonym: try row.pseudonym(at: 5, table: "identifier_pseudonyms")
                )
                if id == currentID {
                    identifiers[identifiers.count - 1].variants.append(variant)
                } else {
                    currentID = id
                    identifiers.append(
                        StoredIdentifier(
                            subject: subject,
                            kind: try row.identifierKind(at: 1, table: "identifiers"),
                            sealed: row.bytes(at: 2),
                            variants: [variant],
                            addedAt: row.date(at: 3)
                        )
                    )
                }
            }
            return identifiers
        }
    }

    private static func pseudonym(_ row: Row) throws -> StoredPseudonym {
        StoredPseudonym(
            pseudonym: try row.pseudonym(at: 0, table: "identifier_pseudonyms"),
            kind: try row.identifierKind(at: 1, table: "identifiers"),
            variant: row[2],
            subject: row.subject(at: 3)
        )
    }
}
