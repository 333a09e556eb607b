public import CleanRoomCore

/// What one request was and what CleanRoom decided: the caller's part of an audit entry.
///
/// A record describes a request by its shape only (DESIGN.md section 6.7): the request is canonical JSON of
/// query shapes, purposes, counts and digests, never an identifier, a hash of one, a pseudonym or a subject
/// id. ``AuditLog/append(_:)`` refuses a record that looks otherwise (see ``AuditRecordScreen``).
public struct AuditRecord: Sendable, Equatable {
    /// Who asked: the principal's name from the policy, or `anonymous` for a request without credentials.
    public var principal: String
    /// The principal's role (`owner`, `partner`, `auditor`, `admin`), or `none`.
    public var role: String
    /// What kind of request it was.
    public var action: AuditAction
    /// The purpose the request named, if it names one.
    public var purpose: String?
    /// The request in canonical form: its shape, with every identifier left out.
    public var request: CanonicalJSON
    /// Whether it was answered, and the rule that decided.
    public var decision: AuditDecision
    /// The sizes of the cohorts the answer was computed over (distinct people), in the order released.
    public var cohortSizes: [Int]
    /// How many cells of the answer were suppressed.
    public var suppressedCells: Int
    /// The digest of the policy in force (``Policy/digest``).
    public var policyDigest: String
    /// The lowercase hex SHA-256 of the result returned, or `nil` when nothing was returned.
    public var resultDigest: String?

    /// Creates a record.
    public init(
        principal: String,
        role: String,
        action: AuditAction,
        purpose: String? = nil,
        request: CanonicalJSON = .object([:]),
        decision: AuditDecision,
        cohortSizes: [Int] = [],
        suppressedCells: Int = 0,
        policyDigest: String,
        resultDigest: String? = nil
    ) {
        self.principal = principal
        self.role = role
        self.action = action
        self.purpose = purpose
        self.request = request
        self.decision = decision
        self.cohortSizes = cohortSizes
        self.suppressedCells = suppressedCells
        self.policyDigest = policyDigest
        self.resultDigest = resultDigest
    }
}

/// The kind of request an audit entry records.
public struct AuditAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The snake-case name written into the entry.
    public let rawValue: String

    /// Wraps a name; any snake-case name is accepted so that later kinds need no change here.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { self.rawValue }

    /// An aggregate query.
    public static let query = AuditAction(rawValue: "query")
    /// An association-rules request.
    public static let rules = AuditAction(rawValue: "rules")
    /// A partner's hashed audience upload.
    public static let audienceUpload = AuditAction(rawValue: "audience_upload")
    /// An audience overlap.
    public static let audienceOverlap = AuditAction(rawValue: "audience_overlap")
    /// An ingest batch.
    public static let ingestBatch = AuditAction(rawValue: "ingest_batch")
    /// A consent change.
    public static let consentChange = AuditAction(rawValue: "consent_change")
    /// A data subject's rights request (withdraw, object, access, erase).
    public static let rightsRequest = AuditAction(rawValue: "rights_request")
    /// A key-encryption-key rotation.
    public static let keyRotation = AuditAction(rawValue: "key_rotation")
    /// A change of the policy in force.
    public static let policyChange = AuditAction(rawValue: "policy_change")
    /// A request refused before it could be read (malformed, too large, unknown route).
    public static let refusedRequest = AuditAction(rawValue: "refused_request")
    /// A request whose credentials did not authenticate.
    public static let authenticationFailure = AuditAction(rawValue: "authentication_failure")
    /// A read of the audit log itself (entries, proofs, verification, export).
    public static let auditRead = AuditAction(rawValue: "audit_read")
    /// The log found a torn final line at start and truncated it (see ``AuditLog/OpenReport``).
    public static let logRecovery = AuditAction(rawValue: "log_recovery")
    /// A retention sweep deleted data past its category's retention period (counts only).
    public static let retentionSweep = AuditAction(rawValue: "retention_sweep")
}

/// Whether a request was answered, and the rule that decided.
public struct AuditDecision: Sendable, Equatable {
    /// The two outcomes.
    public enum Outcome: String, Sendable {
        /// The request was answered.
        case allowed
        /// The request was refused; nothing was released.
        case refused
    }

    /// Answered or refused.
    public var outcome: Outcome
    /// The rule that decided, e.g. `policy.purpose_allowed`, `privacy.k_threshold`, `auth.invalid_token`.
    public var rule: String

    /// A decision.
    public init(_ outcome: Outcome, rule: String) {
        self.outcome = outcome
        self.rule = rule
    }

    /// Answered under `rule`.
    public static func allowed(_ rule: String) -> AuditDecision { AuditDecision(.allowed, rule: rule) }
    /// Refused under `rule`.
    public static func refused(_ rule: String) -> AuditDecision { AuditDecision(.refused, rule: rule) }
}
