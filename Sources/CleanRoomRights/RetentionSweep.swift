public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomStore
public import Foundation

/// Deletes what the policy no longer allows to keep (GDPR Art. 5(1)(e)): every event and attribute value older
/// than its data category's retention period, then the people left with neither attributes nor events.
///
/// - An event is kept for its type's category retention from the time it happened; an attribute value from the
///   time it was last set. A value exactly as old as the retention period is kept; one a millisecond older goes.
/// - Events and attributes the policy no longer declares go entirely (counted under ``undeclared``).
/// - A person whose attributes and events are all gone is deleted with their identifiers, data key and consent
///   history, once they have been held longer than the longest retention period of the policy (so someone
///   ingested with identifiers only is not swept away at once). Their pseudonyms are not suppressed: this is
///   storage limitation, not an erasure request, and they may come back with new data.
/// - The write-ahead log is checkpointed afterwards, so deleted data keys leave no copy in the files.
public struct RetentionSweep: Sendable {
    private let store: Store
    private let policy: Policy
    private let audit: AuditLog
    private let principal: (name: String, role: String)

    /// A sweep of `store` under `policy`, recorded in `audit` as done by `principal`.
    public init(store: Store, policy: Policy, audit: AuditLog, principal: (name: String, role: String)) {
        self.store = store
        self.policy = policy
        self.audit = audit
        self.principal = principal
    }

    /// What a sweep deleted.
    public struct Result: Sendable, Equatable {
        /// Events deleted, by data category.
        public var events: [String: Int] = [:]
        /// Attribute values deleted, by data category.
        public var attributes: [String: Int] = [:]
        /// People deleted because nothing was left of them.
        public var subjects = 0
        /// The pseudonyms of the people deleted, for the caller's identity index.
        public var removedPseudonyms: [StoredPseudonym] = []
        /// The audit entry that recorded the sweep.
        public var auditSequence = 0
    }

    /// Sweeps as of `time`, in one transaction that also writes the audit entry with the counts (if the entry
    /// cannot be written, nothing is deleted).
    ///
    /// - Throws: Store or audit errors with nothing deleted; ``RightsError`` `checkpointPending` when the sweep is
    ///   done and audited but the write-ahead log could not be cleared yet.
    public func run(at time: Date) throws -> Result {
        let schema = self.policy.schema
        let result = try self.store.write { transaction in
            var result = Result()
            for type in schema.eventTypes {
                guard let category = schema.category(named: type.category) else { continue }
                let deleted = try transaction.events.delete(
                    type: type.name, occurredBefore: category.retention.subtracted(from: time))
                result.events[category.name, default: 0] += deleted
            }
            for attribute in schema.attributes {
                guard let category = schema.category(named: attribute.category) else { continue }
                let deleted = try transaction.attributes.delete(
                    named: attribute.name, updatedBefore: category.retention.subtracted(from: time))
                result.attributes[category.name, default: 0] += deleted
            }
            // Data the policy no longer declares has no retention period left: it goes entirely.
            let undeclaredEvents = try transaction.events.delete(typesOtherThan: Set(schema.eventTypes.map(\.name)))
            let undeclaredAttributes = try transaction.attributes.delete(
                namesOtherThan: Set(schema.attributes.map(\.name)))
            if undeclaredEvents > 0 { result.events[Self.undeclared] = undeclaredEvents }
            if undeclaredAttributes > 0 { result.attributes[Self.undeclared] = undeclaredAttributes }
            for subject in try transaction.subjects.withoutData(createdBefore: self.longestRetentionCutoff(time)) {
                result.removedPseudonyms += try transaction.identifiers.pseudonyms(of: subject)
                if try transaction.subjects.delete(subject) { result.subjects += 1 }
            }
            result.auditSequence = try self.audit.append(AuditRecord(
                principal: self.principal.name, role: self.principal.role, action: .retentionSweep,
                request: .object([
                    "events_deleted": Self.counts(result.events),
                    "attribute_values_deleted": Self.counts(result.attributes),
                    "subjects_deleted": .integer(result.subjects),
                ]),
                decision: .allowed("retention.swept"), policyDigest: self.policy.digest)).sequence
            return result
        }
        do {
            try self.store.checkpoint()
        } catch {
            throw RightsError(
                code: .checkpointPending,
                message: "the sweep is done and audited (entry \(result.auditSequence)), but the write-ahead log still "
                    + "holds deleted data because another process is reading the database; sweep again later (\(error))")
        }
        return result
    }

    /// The category under which the counts of data the policy no longer declares are reported.
    public static let undeclared = "(undeclared)"

    /// The cutoff of the longest retention period: a person held since before it, with nothing left, goes.
    private func longestRetentionCutoff(_ time: Date) -> Date {
        self.policy.schema.categories.map { $0.retention.subtracted(from: time) }.min() ?? time
    }

    private static func counts(_ counts: [String: Int]) -> CanonicalJSON {
        .object(counts.mapValues(CanonicalJSON.integer))
    }
}
