public import Foundation

/// A committed ingest batch: recorded in the batch's own transaction, so a replay can be detected.
public struct StoredIngestBatch: Sendable, Hashable {
    /// What happened to the rows of a batch.
    public struct Counts: Sendable, Hashable {
        /// Rows written.
        public var accepted: Int
        /// Rows refused (written to the rejects file).
        public var rejected: Int
        /// Rows dropped because the person is on the suppression list.
        public var suppressed: Int
        /// Rows already held (same person, same event).
        public var duplicates: Int
        /// Subjects the batch created.
        public var subjectsCreated: Int
        /// Existing subjects the batch changed.
        public var subjectsUpdated: Int

        /// Creates counts; all default to zero.
        public init(
            accepted: Int = 0,
            rejected: Int = 0,
            suppressed: Int = 0,
            duplicates: Int = 0,
            subjectsCreated: Int = 0,
            subjectsUpdated: Int = 0
        ) {
            self.accepted = accepted
            self.rejected = rejected
            self.suppressed = suppressed
            self.duplicates = duplicates
            self.subjectsCreated = subjectsCreated
            self.subjectsUpdated = subjectsUpdated
        }
    }

    /// The batch id: a content digest or an idempotency key chosen by the caller.
    public var id: String
    /// The digest of the batch content.
    public var digest: [UInt8]
    /// The source name given at ingest, if any.
    public var source: String?
    /// When the batch started (millisecond precision).
    public var startedAt: Date
    /// When it committed (millisecond precision).
    public var committedAt: Date
    /// What happened to its rows.
    public var counts: Counts
    /// The rejects of its rows as the ingest wrote them (opaque bytes to the store; they hold no value).
    public var rejects: [UInt8]

    /// Creates a batch record.
    public init(
        id: String, digest: [UInt8], source: String?, startedAt: Date, committedAt: Date, counts: Counts,
        rejects: [UInt8] = []
    ) {
        self.id = id
        self.digest = digest
        self.source = source
        self.startedAt = startedAt
        self.committedAt = committedAt
        self.counts = counts
        self.rejects = rejects
    }
}
