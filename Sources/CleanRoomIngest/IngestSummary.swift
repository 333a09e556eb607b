/// What an ingest did, in counts only (it is also what the audit log records of it).
public struct IngestSummary: Sendable, Equatable, Codable {
    /// Rows stored (or already present and confirmed: see ``duplicates``).
    public var accepted = 0
    /// Rows refused, each with its line and reason in the rejects file.
    public var rejected = 0
    /// Rows dropped because the person was erased (their identifiers are on the suppression list).
    public var suppressed = 0
    /// Events already stored (same person, same event) and consent choices already recorded.
    public var duplicates = 0
    /// People seen for the first time.
    public var subjectsCreated = 0
    /// Known people whose identifiers or attributes were updated.
    public var subjectsUpdated = 0
    /// Consent grants from customer records not applied because the person had withdrawn or objected.
    public var consentUpgradesRefused = 0
    /// Batches committed by this run.
    public var batchesCommitted = 0
    /// Batches skipped because they were ingested before (a replay).
    public var batchesAlreadyIngested = 0

    /// All counts zero.
    public init() {}

    /// Adds another summary's counts to these.
    public mutating func add(_ other: IngestSummary) {
        self.accepted += other.accepted
        self.rejected += other.rejected
        self.suppressed += other.suppressed
        self.duplicates += other.duplicates
        self.subjectsCreated += other.subjectsCreated
        self.subjectsUpdated += other.subjectsUpdated
        self.consentUpgradesRefused += other.consentUpgradesRefused
        self.batchesCommitted += other.batchesCommitted
        self.batchesAlreadyIngested += other.batchesAlreadyIngested
    }

    enum CodingKeys: String, CodingKey {
        case accepted, rejected, suppressed, duplicates
        case subjectsCreated = "subjects_created"
        case subjectsUpdated = "subjects_updated"
        case consentUpgradesRefused = "consent_upgrades_refused"
        case batchesCommitted = "batches_committed"
        case batchesAlreadyIngested = "batches_already_ingested"
    }
}
