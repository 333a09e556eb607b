public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomCrypto

/// The controller's records of processing activities (GDPR Art. 30(1)): what the policy in force says about the
/// processing, and what the audit log shows was done.
///
/// From the policy: the controller, the purposes with their lawful basis, the categories of personal data with
/// their retention, the recipients (partner principals), the time limits and the privacy parameters. From the
/// audit log: the computations per purpose and per principal (answered and refused), the rights requests by
/// kind, the ingest batches and the period covered. The log holds no identifiers and the store is never read,
/// so no identifier can appear in a report.
///
/// Build one with ``init(policy:auditDirectory:publicKey:origin:)``, which refuses a log that does not verify,
/// and render it with ``json``, ``markdown`` or ``html``.
public struct ProcessingReport: Sendable, Equatable {
    /// The data controller the policy speaks for.
    public let controller: Policy.Controller
    /// The digest of the policy the report describes (``Policy/digest``).
    public let policyDigest: String
    /// The purposes of the processing, in the policy's order.
    public let purposes: [Purpose]
    /// The categories of personal data, in the policy's order.
    public let categories: [Category]
    /// The recipients: every principal with role `partner`, in the policy's order.
    public let recipients: [Recipient]
    /// How long partners' hashed audience uploads are kept.
    public let audienceRetention: Policy.Period
    /// The time allowed to answer a rights request (GDPR Art. 12(3)).
    public let rightsDeadline: Policy.Period
    /// The minimum number of distinct people behind any released number.
    public let k: Int
    /// The most one person adds to any released sum, if set.
    public let contributionCap: Double?
    /// What the audit log records.
    public let log: LogActivity

    /// A purpose of the processing.
    public struct Purpose: Sendable, Equatable {
        /// The purpose's name.
        public let name: String
        /// What the purpose is, in words a data subject understands.
        public let description: String
        /// What makes the processing lawful.
        public let lawfulBasis: Policy.LawfulBasis
        /// Whether it is direct marketing, where an objection is absolute (GDPR Art. 21(3)).
        public let isDirectMarketing: Bool
        /// The consent signal the purpose reads.
        public let consentSignal: String
        /// The IAB TCF v2.2 purposes that stand for it in a TC string, ascending; empty when none do.
        public let tcfPurposes: [Int]

        /// The GDPR provision of the lawful basis: `Art. 6(1)(a)` for consent, `Art. 6(1)(f)` for legitimate
        /// interest.
        public var gdprArticle: String {
            switch self.lawfulBasis {
            case .consent: "Art. 6(1)(a)"
            case .legitimateInterest: "Art. 6(1)(f)"
            }
        }
    }

    /// A category of personal data and what belongs to it.
    public struct Category: Sendable, Equatable {
        /// The category's name.
        public let name: String
        /// What the category holds, if the policy says.
        public let description: String?
        /// How long its data is kept after it was recorded.
        public let retention: Policy.Period
        /// The attributes of the category, in the policy's order.
        public let attributes: [String]
        /// The event types of the category, in the policy's order.
        public let eventTypes: [String]
    }

    /// A recipient of the processing's results: a partner principal.
    public struct Recipient: Sendable, Equatable {
        /// The principal's name, as in the audit log.
        public let principal: String
        /// The partner organization.
        public let organization: String
        /// The purposes it may compute for, sorted.
        public let purposes: [String]
        /// The attributes it may group and filter by, sorted.
        public let dimensions: [String]
        /// The metrics it may compute, sorted.
        public let metrics: [String]
    }

    /// How many computations were answered and how many refused.
    public struct Tally: Sendable, Equatable {
        /// Computations whose result was released.
        public var answered = 0
        /// Computations refused, with nothing released.
        public var refused = 0

        /// Answered and refused together.
        public var total: Int { self.answered + self.refused }

        /// A tally.
        public init(answered: Int = 0, refused: Int = 0) {
            self.answered = answered
            self.refused = refused
        }
    }

    /// What the audit log records, counted over its entries.
    public struct LogActivity: Sendable, Equatable {
        /// The number of entries counted.
        public var entries = 0
        /// The time of the first entry (RFC 3339, UTC), `nil` for an empty log.
        public var firstEntryTime: String?
        /// The time of the last entry (RFC 3339, UTC), `nil` for an empty log.
        public var lastEntryTime: String?
        /// The RFC 9162 root hash (lowercase hex) of the entries counted: for a whole log, the root a signed
        /// checkpoint of that size carries, which ties the report to the log.
        public var rootHash = Hex.encode(MerkleHash.emptyTreeHash)
        /// Computations (actions `query`, `rules`, `audience_overlap`) by the purpose they named; those naming
        /// none are under ``ProcessingReport/unnamed``.
        public var computationsByPurpose: [String: Tally] = [:]
        /// Computations by the principal that asked.
        public var computationsByPrincipal: [String: Tally] = [:]
        /// Rights requests by kind (`withdrawal`, `objection`, `access`, `erasure`, …); an entry without a kind is
        /// under ``ProcessingReport/unnamed``.
        public var rightsRequests: [String: Int] = [:]
        /// Ingest batches recorded.
        public var ingestBatches = 0

        /// The actions that are computations over people's data.
        static let computations: Set<AuditAction> = [.query, .rules, .audienceOverlap]
    }

    /// The key under which entries that name no purpose, or no rights-request kind, are counted. Policy names are
    /// lowercase letters, digits, `_` and `-`, so it never stands for one.
    public static let unnamed = "(none)"

    /// The report of `policy` over the audit-log `entries`, given in sequence order from the first.
    ///
    /// The entries are taken as they are; ``init(policy:auditDirectory:publicKey:origin:)`` verifies a log first.
    public init(policy: Policy, entries: some Sequence<AuditEntry>) {
        var counter = ActivityCounter()
        for entry in entries {
            counter.count(entry)
        }
        self.init(policy: policy, log: counter.activity)
    }

    /// The report of `policy` over the audit log in `auditDirectory`, after the whole log verified under
    /// `publicKey` and `origin` (every entry, the Merkle tree and every signed checkpoint).
    ///
    /// The report covers the entries the verification covered; entries appended meanwhile are left for the next.
    ///
    /// - Throws: ``ProcessingReportError`` with ``ProcessingReportError/Code/unverifiedLog`` when the log does not
    ///   verify, cannot be read, or no longer matches what verified: nothing is reported on such a log.
    public init(policy: Policy, auditDirectory: String, publicKey: Ed25519PublicKey, origin: String) throws {
        do {
            let summary = try AuditVerifier.verify(directory: auditDirectory, publicKey: publicKey, origin: origin)
            var counter = ActivityCounter()
            try AuditReader.forEachEntry(in: auditDirectory) { entry in
                if entry.sequence < summary.size { counter.count(entry) }
            }
            let activity = counter.activity
            guard activity.entries == summary.size, activity.rootHash == Hex.encode(summary.rootHash) else {
                throw ProcessingReportError(
                    code: .unverifiedLog,
                    message: "the audit log changed while it was read; run the report again, and "
                        + "`cleanroom audit verify` if it fails again"
                )
            }
            self.init(policy: policy, log: activity)
        } catch let error as AuditError {
            throw ProcessingReportError(unverifiedLog: error)
        }
    }

    init(policy: Policy, log: LogActivity) {
        self.controller = policy.controller
        self.policyDigest = policy.digest
        self.purposes = policy.purposes.map { purpose in
            Purpose(
                name: purpose.name, description: purpose.description, lawfulBasis: purpose.lawfulBasis,
                isDirectMarketing: purpose.isDirectMarketing, consentSignal: purpose.consentSignal,
                tcfPurposes: purpose.tcfPurposes.sorted()
            )
        }
        self.categories = policy.schema.categories.map { category in
            Category(
                name: category.name, description: category.description, retention: category.retention,
                attributes: policy.schema.attributes.filter { $0.category == category.name }.map(\.name),
                eventTypes: policy.schema.eventTypes.filter { $0.category == category.name }.map(\.name)
            )
        }
        self.recipients = policy.principals.filter { $0.role == .partner }.map { principal in
            Recipient(
                principal: principal.name, organization: principal.partner ?? principal.name,
                purposes: principal.purposes.sorted(), dimensions: principal.dimensions.sorted(),
                metrics: principal.metrics.map(\.rawValue).sorted()
            )
        }
        self.audienceRetention = policy.audiences.retention
        self.rightsDeadline = policy.rights.deadline
        self.k = policy.privacy.k
        self.contributionCap = policy.privacy.contributionCap
        self.log = log
    }
}

/// Counts audit entries into a ``ProcessingReport/LogActivity``, one entry at a time, so that a log of any length
/// is read in constant memory.
struct ActivityCounter {
    private var counts = ProcessingReport.LogActivity()
    private var tree = MerkleTree()

    /// What was counted so far, with the root hash of the entries counted.
    var activity: ProcessingReport.LogActivity {
        var activity = self.counts
        activity.rootHash = Hex.encode(self.tree.rootHash)
        return activity
    }

    mutating func count(_ entry: AuditEntry) {
        let record = entry.record
        self.counts.entries += 1
        if self.counts.firstEntryTime == nil { self.counts.firstEntryTime = entry.time }
        self.counts.lastEntryTime = entry.time
        // A leaf hash is always 32 bytes, the one thing `append` checks.
        _ = try? self.tree.append(leafHash: entry.leafHash)

        if ProcessingReport.LogActivity.computations.contains(record.action) {
            let answered = record.decision.outcome == .allowed
            let purpose = record.purpose ?? ProcessingReport.unnamed
            Self.add(answered, to: &self.counts.computationsByPurpose[purpose, default: .init()])
            Self.add(answered, to: &self.counts.computationsByPrincipal[record.principal, default: .init()])
        } else if record.action == .rightsRequest {
            let kind: String =
                if case .object(let request) = record.request, case .string(let kind)? = request["kind"] { kind }
                else { ProcessingReport.unnamed }
            self.counts.rightsRequests[kind, default: 0] += 1
        } else if record.action == .ingestBatch {
            self.counts.ingestBatches += 1
        }
    }

    private static func add(_ answered: Bool, to tally: inout ProcessingReport.Tally) {
        if answered { tally.answered += 1 } else { tally.refused += 1 }
    }
}

/// Why a processing report could not be made.
public struct ProcessingReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's snake-case name.
        public let rawValue: String
        /// Wraps a name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's snake-case name.
        public var description: String { self.rawValue }

        /// The audit log does not verify, cannot be read, or changed while it was read (fail closed).
        public static let unverifiedLog = Code(rawValue: "unverified_log")
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String
    /// The first bad entry of the log, when one is known.
    public var sequence: Int?

    /// An error with its code and message.
    public init(code: Code, message: String, sequence: Int? = nil) {
        self.code = code
        self.message = message
        self.sequence = sequence
    }

    /// The refusal to report on a log whose verification or reading failed with `error`.
    public init(unverifiedLog error: AuditError) {
        let at = error.sequence.map { "entry \($0): " } ?? ""
        self.init(
            code: .unverifiedLog,
            message: "refusing to report on an audit log that does not verify (\(at)\(error.message)); "
                + "run `cleanroom audit verify` and restore the log from a verified copy",
            sequence: error.sequence
        )
    }

    public var description: String { "\(self.code): \(self.message)" }
}
