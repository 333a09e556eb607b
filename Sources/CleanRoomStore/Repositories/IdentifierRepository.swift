public import CleanRoomCore
public import Foundation
internal import GRDB

/// Sealed identifiers and the pseudonyms they are indexed under, which live in the identifier's row
/// (`variants`: names joined by commas, sorted; `pseudonyms`: their 32-byte pseudonyms end to end).
///
/// The store keeps no index on pseudonyms (DESIGN.md section 9): the caller holds the pseudonym →
/// subject lookup in memory, loads it at start with ``forEachPseudonym(_:)`` and keeps it current, and
/// avoids adding an identifier a subject already has.
public struct IdentifierRepository {
    let db: Database
    var changes: ChangeCollector? = nil
    let statements: DirectStatements

    /// Adds one raw identifier (sealed once) with the pseudonyms of its variants.
    ///
    /// - Throws: ``StoreError`` `invalidArgument` without variants, with a variant name twice, or with a
    ///   variant name holding a comma; `constraint` when the subject does not exist.
    public func add(_ identifier: StoredIdentifier) throws {
        try self.add(
            subject: identifier.subject, kind: identifier.kind, sealed: identifier.sealed, addedAt: identifier.addedAt,
            variants: StoredIdentifier.EncodedVariants(identifier.variants))
    }

    /// Adds one raw identifier of `subject`, sealed once, with its variants encoded beforehand.
    ///
    /// - Throws: ``StoreError`` `constraint` when the subject does not exist.
    public func add(
        subject: SubjectID, kind: IdentifierKind, sealed: [UInt8], addedAt: Date,
        variants: StoredIdentifier.EncodedVariants
    ) throws {
        try self.add(
            CollectionOfOne(Addition(subject: subject, kind: kind, sealed: sealed, addedAt: addedAt, variants: variants)),
            action: "add an identifier")
    }

    /// One identifier as ``add(contentsOf:)`` writes it: sealed once, with its variants encoded beforehand.
    public struct Addition: Sendable {
        /// The person it names.
        public var subject: SubjectID
        /// Its kind.
        public var kind: IdentifierKind
        /// The raw value sealed under the subject's data key.
        public var sealed: [UInt8]
        /// When it was added.
        public var addedAt: Date
        /// The pseudonyms of its variants.
        public var variants: StoredIdentifier.EncodedVariants

        /// An identifier of `subject` to add.
        public init(
            subject: SubjectID, kind: IdentifierKind, sealed: [UInt8], addedAt: Date,
            variants: StoredIdentifier.EncodedVariants
        ) {
            self.subject = subject
            self.kind = kind
            self.sealed = sealed
            self.addedAt = addedAt
            self.variants = variants
        }
    }

    /// Adds identifiers in order, several per statement: what ``add(subject:kind:sealed:addedAt:variants:)``
    /// does for each, for the many a batch of new people brings.
    ///
    /// - Throws: ``StoreError`` `constraint` when a subject does not exist; then none of the identifiers of the
    ///   statement it was in are added, and the transaction should be rolled back.
    public func add(contentsOf additions: [Addition]) throws {
        try self.add(additions, action: "add identifiers")
    }

    // Generic only inside the module, where each use is specialized (see ``ConsentRepository``).
    private func add(_ additions: some Collection<Addition>, action: String) throws {
        try performing(action) {
            try DirectStatement.insert(
                additions, into: self.statements,
                "INSERT INTO identifiers (subject_id, kind, sealed, added_at, variants, pseudonyms) VALUES", columns: 6
            ) { insert, addition in
                self.changes?.touch(addition.subject)
                insert.bind(addition.subject.rawValue)
                insert.bind(addition.kind.rawValue)
                insert.bind(addition.sealed)
                insert.bind(addition.addedAt.storedMilliseconds)
                insert.bind(addition.variants.names)
                insert.bind(addition.variants.pseudonyms)
            }
        }
    }

    /// The lowest and highest row id of the identifiers held, `nil` when there are none.
    public func rowIDs() throws -> ClosedRange<Int64>? {
        try performing("read the identifiers' row ids") {
            guard let row = try Row.fetchOne(self.db, sql: "SELECT min(id), max(id) FROM identifiers"),
                let lowest = row[0] as Int64?, let highest = row[1] as Int64?
            else { return nil }
            return lowest...highest
        }
    }

    /// The number of identifiers held.
    public func count() throws -> Int {
        try performing("count identifiers") {
            try Int.fetchOne(self.db, sql: "SELECT COUNT(*) FROM identifiers") ?? 0
        }
    }

    /// Calls `body` with every pseudonym held, in arrival order of the identifiers, streaming from the
    /// database so memory stays flat however many there are.
    public func forEachPseudonym(_ body: (StoredPseudonym) throws -> Void) throws {
        try self.forEachPseudonym(where: { _ in true }, body)
    }

    /// Calls `body` with the subject, the kind and the 32 bytes of one pseudonym of every identifier, in arrival
    /// order: that of the variant `variant` names for the identifier's kind (e.g. the canonical one an identity
    /// index holds); an identifier without that variant is skipped. The bytes are valid only during the call.
    ///
    /// Read through SQLite's C API without making a value per row: an identity index of millions loads at start,
    /// and decoding every row's variants into values was half of that (measured with `perf`).
    ///
    /// - Parameter ids: Only the identifiers whose row ids lie in this range (``rowIDs()``), for reading the table
    ///   in parts on several threads; all of them when `nil`.
    public func forEachPseudonym(
        ofVariant variant: (IdentifierKind) -> String, ids: ClosedRange<Int64>? = nil,
        _ body: (SubjectID, IdentifierKind, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let kinds = IdentifierKind.allCases.map { (kind: $0, name: Array($0.rawValue.utf8), variant: Array(variant($0).utf8)) }
        try performing("read the pseudonyms") {
            var rows = try DirectStatement(
                self.db,
                sql: "SELECT subject_id, kind, variants, pseudonyms FROM identifiers WHERE id BETWEEN ? AND ? ORDER BY id")
            rows.bind(ids?.lowerBound ?? Int64.min)
            rows.bind(ids?.upperBound ?? Int64.max)
            try rows.forEachRow { row in
                let kindName = row.textBytes(1)
                guard let kind = kinds.first(where: { $0.name.elementsEqual(kindName) }) else {
                    throw StoreError(code: .corrupt, message: "identifiers.kind holds an unknown identifier kind")
                }
                // The wanted name's place among the comma-separated names, and how many names there are.
                let names = row.textBytes(2)
                var (count, start, place): (Int, Int, Int?) = (0, 0, nil)
                for end in 0...names.count where end == names.count || names[end] == UInt8(ascii: ",") {
                    if place == nil, kind.variant.elementsEqual(UnsafeBufferPointer(rebasing: names[start..<end])) {
                        place = count
                    }
                    count += 1
                    start = end + 1
                }
                let pseudonyms = row.blob(3)
                guard pseudonyms.count == count * Pseudonym.byteCount else {
                    throw StoreError(code: .corrupt, message: "an identifier's pseudonyms do not match its variant names")
                }
                guard let place else { return }
                let offset = place * Pseudonym.byteCount
                try body(
                    SubjectID(row.int64(0)), kind.kind,
                    UnsafeRawBufferPointer(rebasing: pseudonyms[offset..<offset + Pseudonym.byteCount]))
            }
        }
    }

    /// Calls `body` with the pseudonym of every variant whose name satisfies `include`, in arrival order of the
    /// identifiers; the others are skipped without being decoded.
    private func forEachPseudonym(
        where include: (Substring) -> Bool, _ body: (StoredPseudonym) throws -> Void
    ) throws {
        try performing("read the pseudonyms") {
            var rows = try DirectStatement(
                self.db, sql: "SELECT subject_id, kind, variants, pseudonyms FROM identifiers ORDER BY id")
            try rows.forEachRow { row in
                let subject = SubjectID(row.int64(0))
                guard let kind = IdentifierKind(rawValue: row.text(1)) else {
                    throw StoreError(code: .corrupt, message: "identifiers.kind holds an unknown identifier kind")
                }
                for variant in try Self.variants(names: row.text(2), pseudonyms: row.blob(3), where: include) {
                    try body(StoredPseudonym(
                        pseudonym: variant.pseudonym, kind: kind, variant: variant.name, subject: subject))
                }
            }
        }
    }

    /// The pseudonyms of one subject (for the suppression list at erasure), in arrival order.
    public func pseudonyms(of subject: SubjectID) throws -> [StoredPseudonym] {
        try performing("read the pseudonyms of a subject") {
            let rows = try Row.fetchCursor(
                self.db.cachedStatement(
                    sql: "SELECT subject_id, kind, variants, pseudonyms FROM identifiers WHERE subject_id = ? ORDER BY id"
                ),
                arguments: [subject.rawValue]
            )
            return try Array(rows.map { try Self.pseudonyms($0) }.joined())
        }
    }

    /// The identifiers of one subject with their sealed values and variants (for access requests),
    /// in arrival order.
    public func identifiers(of subject: SubjectID) throws -> [StoredIdentifier] {
        try performing("read the identifiers of a subject") {
            let rows = try Row.fetchCursor(
                self.db.cachedStatement(
                    sql: """
                        SELECT subject_id, kind, variants, pseudonyms, sealed, added_at FROM identifiers
                        WHERE subject_id = ? ORDER BY id
                        """
                ),
                arguments: [subject.rawValue]
            )
            return try Array(rows.map { row in
                StoredIdentifier(
                    subject: subject, kind: try row.identifierKind(at: 1, table: "identifiers"), sealed: row.bytes(at: 4),
                    variants: try Self.variants(row), addedAt: row.date(at: 5))
            })
        }
    }

    /// The variants of an identifiers row whose columns start with subject_id, kind, variants, pseudonyms.
    private static func variants(
        _ row: Row, where include: (Substring) -> Bool = { _ in true }
    ) throws -> [StoredIdentifier.Variant] {
        try row.bytes(at: 3).withUnsafeBytes { bytes in
            try Self.variants(names: row[2], pseudonyms: bytes, where: include)
        }
    }

    /// The variants an identifiers row stores: `names` separated by commas, and their pseudonyms end to end in
    /// the same order. Only those whose name satisfies `include` are decoded.
    private static func variants(
        names: String, pseudonyms bytes: UnsafeRawBufferPointer, where include: (Substring) -> Bool
    ) throws -> [StoredIdentifier.Variant] {
        // Split as bytes: the names are ASCII, and splitting a String by Character walks grapheme clusters.
        let names = names.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(Substring.init)
        guard bytes.count == names.count * Pseudonym.byteCount else {
            throw StoreError(code: .corrupt, message: "an identifier's pseudonyms do not match its variant names")
        }
        return try names.enumerated().filter { include($0.element) }.map { position, name in
            let start = position * Pseudonym.byteCount
            guard let pseudonym = Pseudonym(bytes: Array(bytes[start..<start + Pseudonym.byteCount])) else {
                throw StoreError(code: .corrupt, message: "a pseudonym in identifiers is not 32 bytes long")
            }
            return StoredIdentifier.Variant(name: String(name), pseudonym: pseudonym)
        }
    }

    private static func pseudonyms(
        _ row: Row, where include: (Substring) -> Bool = { _ in true }
    ) throws -> [StoredPseudonym] {
        let subject = row.subject(at: 0)
        let kind = try row.identifierKind(at: 1, table: "identifiers")
        return try Self.variants(row, where: include).map {
            StoredPseudonym(pseudonym: $0.pseudonym, kind: kind, variant: $0.name, subject: subject)
        }
    }
}
