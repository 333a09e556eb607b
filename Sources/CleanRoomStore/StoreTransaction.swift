internal import GRDB

/// Access to the repositories inside one transaction opened by ``Store/read(_:)`` or ``Store/write(_:)``.
///
/// A transaction handle is valid only inside the closure it was given to; do not keep or return it.
public struct StoreTransaction {
    let db: Database
    let vault: KeyVault
    /// The data-key changes of a write transaction, applied to the vault around its commit; `nil` when reading.
    let keyChanges: KeyChanges?
    /// The people a write transaction touches, told to the store's observers after it commits; `nil` when reading.
    let changes: ChangeCollector?
    /// The statements of the hot writes, prepared once per transaction.
    let statements: DirectStatements

    init(db: Database, vault: KeyVault, keyChanges: KeyChanges?, changes: ChangeCollector?) {
        self.db = db
        self.vault = vault
        self.keyChanges = keyChanges
        self.changes = changes
        self.statements = DirectStatements(db)
    }

    /// People known to the store.
    public var subjects: SubjectRepository { SubjectRepository(db: self.db, dataKeys: self.dataKeys, changes: self.changes, statements: self.statements) }
    /// Sealed identifiers and their pseudonyms.
    public var identifiers: IdentifierRepository { IdentifierRepository(db: self.db, changes: self.changes, statements: self.statements) }
    /// Per-subject data keys, wrapped by the key-encryption key.
    public var dataKeys: DataKeyRepository {
        DataKeyRepository(db: self.db, vault: self.vault, changes: self.keyChanges, statements: self.statements)
    }
    /// The append-only consent ledger.
    public var consent: ConsentRepository { ConsentRepository(db: self.db, changes: self.changes, statements: self.statements) }
    /// Subject attributes (country, age band, …).
    public var attributes: AttributeRepository { AttributeRepository(db: self.db, changes: self.changes, statements: self.statements) }
    /// Events (purchases, visits, …) and their items.
    public var events: EventRepository { EventRepository(db: self.db, changes: self.changes, statements: self.statements) }
    /// Pseudonyms of erased people, dropped at ingest.
    public var suppression: SuppressionRepository { SuppressionRepository(db: self.db) }
    /// Committed ingest batches, for replay detection.
    public var batches: IngestBatchRepository { IngestBatchRepository(db: self.db) }
    /// Which people each released computation was computed over.
    public var cohortReleases: CohortReleaseRepository { CohortReleaseRepository(db: self.db) }
    /// The service's bearer tokens, as digests.
    public var principalTokens: PrincipalTokenRepository { PrincipalTokenRepository(db: self.db) }
    /// GDPR rights requests and their deadlines.
    public var rightsRequests: RightsRequestRepository { RightsRequestRepository(db: self.db) }
    /// Partners' uploaded audiences, as pseudonyms.
    public var audiences: AudienceRepository { AudienceRepository(db: self.db) }

    /// Runs `body` in a savepoint: when it throws, its writes are rolled back and the error is rethrown while the
    /// transaction goes on, so that independent writes batched into one transaction are kept or dropped each on its
    /// own. For rows only: data-key changes and the change feed are not rolled back with it.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try self.db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }
}
