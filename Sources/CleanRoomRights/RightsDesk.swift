public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomCrypto
public import CleanRoomIngest
public import CleanRoomStore
public import Foundation

/// Carries out data-subject requests (GDPR Art. 7(3), 15, 17, 20, 21; DESIGN.md section 7): each is recorded
/// with its deadline, done, completed with its outcome and audited, without the identifier, before it answers.
///
/// A person is found by any one of their identifiers, normalized and pseudonymized as at ingest and looked up
/// in the identity index. A person the store does not hold gets the answer "no data held", recorded like any
/// other request.
public final class RightsDesk: @unchecked Sendable {
    private let store: Store
    let keyring: Keyring
    let policy: Policy
    private let index: IdentityIndex
    private let audit: AuditLog
    private let principal: (name: String, role: String)
    private let normalizer: IdentifierNormalizer
    let binding: PurposeBinding
    private let now: @Sendable () -> Date

    /// A desk answering for `principal` (recorded in the audit log), over a store whose identity `index` is
    /// loaded and kept current by the caller.
    public init(
        store: Store, keyring: Keyring, policy: Policy, index: IdentityIndex, audit: AuditLog,
        principal: (name: String, role: String) = ("cli", "owner"), now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.store = store
        self.keyring = keyring
        self.policy = policy
        self.index = index
        self.audit = audit
        self.principal = principal
        self.normalizer = try IdentifierNormalizer(defaultRegion: policy.identifiers.defaultRegion)
        self.binding = PurposeBinding(policy: policy)
        self.now = now
    }

    /// What a request did.
    public struct Outcome: Sendable, Equatable {
        /// The request's number in `cleanroom rights list`.
        public let request: StoredRightsRequest.ID
        /// What happened: `withdrawn`, `objected`, `exported`, `erased`, `already_erased` or `no_data_held`.
        public let outcome: String
        /// The purposes a withdrawal or objection covered: those named and those sharing their consent signal.
        public let purposes: [String]
        /// The sequence number of the audit entry that recorded the request.
        public let auditSequence: Int
    }

    // MARK: Requests

    /// Records the withdrawal of consent (Art. 7(3)) for `purposes` (every purpose resting on consent when
    /// `nil`): the person counts for none of them from now on.
    ///
    /// - Throws: ``RightsError`` for an invalid identifier, an unknown purpose, or a purpose resting on
    ///   legitimate interest (there is no consent to withdraw: object to it instead), before anything is recorded.
    public func withdraw(_ person: PersonIdentifier, purposes: [String]?) throws -> Outcome {
        let named = purposes ?? self.policy.purposes.filter { $0.lawfulBasis == .consent }.map(\.name)
        for name in named {
            if let purpose = self.policy.purpose(named: name), purpose.lawfulBasis == .legitimateInterest {
                throw RightsError(
                    code: .notConsentBased,
                    message: "\(name) rests on legitimate interest, not consent: record an objection to it instead")
            }
        }
        return try self.signal(.withdrawn, kind: .withdrawal, person: person, purposes: named, done: "withdrawn")
    }

    /// Records an objection (Art. 21) to `purposes` (all when `nil`).
    ///
    /// - Throws: ``RightsError`` for an invalid identifier or an unknown purpose (before anything is recorded).
    public func object(_ person: PersonIdentifier, purposes: [String]?) throws -> Outcome {
        try self.signal(.objection, kind: .objection, person: person, purposes: purposes, done: "objected")
    }

    /// Erases the person: their data key is destroyed (crypto-shredding), every row about them deleted and the
    /// write-ahead log checkpointed so no copy of the key stays in the files, and their pseudonyms go on the
    /// suppression list so a later ingest drops them. Erasing someone already erased says so and changes nothing.
    ///
    /// - Throws: ``RightsError`` for an invalid identifier, or `checkpointPending` when the erasure is done and
    ///   audited but the write-ahead log could not be cleared yet (another process reading); store or audit
    ///   errors otherwise, with nothing changed.
    public func erase(_ person: PersonIdentifier) throws -> Outcome {
        let (pseudonym, subject) = try self.find(person)
        let time = self.now()
        // The audit entry is written inside the transaction: if it cannot be, nothing is erased (fail closed),
        // and a committed erasure always has its entry.
        let (outcome, removed) = try self.store.write { transaction in
            guard let subject else {
                let erased = try transaction.suppression.contains(pseudonym)
                let outcome = erased ? "already_erased" : "no_data_held"
                let request = try self.complete(.erasure, nil, outcome, at: time, in: transaction)
                return (try self.audited(.erasure, request, person.kind, outcome: outcome, at: time), [StoredPseudonym]())
            }
            let request = try self.open(.erasure, subject, at: time, in: transaction)
            let pseudonyms = try transaction.identifiers.pseudonyms(of: subject)
            for erased in pseudonyms {
                try transaction.suppression.add(erased.pseudonym, at: time)
            }
            _ = try transaction.dataKeys.delete(for: subject)
            _ = try transaction.subjects.delete(subject)
            try transaction.rightsRequests.complete(request, at: time, outcome: "erased")
            return (try self.audited(.erasure, request, person.kind, outcome: "erased", at: time), pseudonyms)
        }
        self.index.erase(removed)
        do {
            try self.store.checkpoint()
        } catch {
            throw RightsError(
                code: .checkpointPending,
                message: "the person is erased and the request audited (entry \(outcome.auditSequence)), but the "
                    + "write-ahead log still holds the destroyed key because another process is reading the "
                    + "database; run the erasure again once it has finished (\(error))")
        }
        return outcome
    }

    /// Everything held about the person (Art. 15 and 20): identifiers unsealed, attributes, events, the consent
    /// history, the purposes they count for now, their rights requests, and the audit sequence numbers of the
    /// computations whose released numbers included them; `nil` for a person not held.
    ///
    /// The export holds the person's own identifiers: give it to them only. It is returned as the exact bytes to
    /// deliver (canonical JSON and a line feed); the audit entry records their SHA-256. Deliver them before
    /// anything else can fail: prepare the destination first.
    ///
    /// - Throws: ``RightsError`` for an invalid identifier; store, crypto or audit errors, with nothing recorded.
    public func access(_ person: PersonIdentifier) throws -> (Outcome, export: [UInt8]?) {
        let (_, subject) = try self.find(person)
        let time = self.now()
        return try self.store.write { transaction in
            guard let subject else {
                let request = try self.complete(.access, nil, "no_data_held", at: time, in: transaction)
                return (try self.audited(.access, request, person.kind, outcome: "no_data_held", at: time), nil)
            }
            let request = try self.open(.access, subject, at: time, in: transaction)
            let export = try self.export(subject, at: time, in: transaction).utf8 + [UInt8(ascii: "\n")]
            try transaction.rightsRequests.complete(request, at: time, outcome: "exported")
            let outcome = try self.audited(
                .access, request, person.kind, outcome: "exported", at: time, resultDigest: Hex.encode(SHA256.hash(export)))
            return (outcome, export)
        }
    }

    /// The requests recorded, oldest first: all, only the open ones, or only those open past their deadline at
    /// `overdueAt`.
    public func requests(openOnly: Bool = false, overdueAt: Date? = nil) throws -> [StoredRightsRequest] {
        try self.store.read { transaction in
            if openOnly || overdueAt != nil {
                return try transaction.rightsRequests.listOpen(overdueAt: overdueAt)
            }
            return try transaction.rightsRequests.all()
        }
    }

    // MARK: Steps

    private static let timeFormat = Date.ISO8601FormatStyle()

    private func signal(
        _ signal: StoredConsent.Signal, kind: StoredRightsRequest.Kind, person: PersonIdentifier, purposes: [String]?,
        done: String
    ) throws -> Outcome {
        let named = try self.purposes(purposes)
        // A purpose is withdrawn through its consent signal, which other purposes may read too: all of them are
        // affected, and all of them are reported.
        let signals = Set(named.compactMap { self.policy.purpose(named: $0)?.consentSignal })
        let affected = self.policy.purposes.filter { signals.contains($0.consentSignal) }.map(\.name).sorted()
        let (_, subject) = try self.find(person)
        let time = self.now()
        return try self.store.write { transaction in
            guard let subject else {
                let request = try self.complete(kind, nil, "no_data_held", at: time, in: transaction)
                return try self.audited(kind, request, person.kind, outcome: "no_data_held", at: time)
            }
            let request = try self.open(kind, subject, at: time, in: transaction)
            for name in signals.sorted() {
                try transaction.consent.append(StoredConsent(
                    subject: subject, purpose: name, signal: signal, occurredAt: time, recordedAt: time,
                    source: "rights_request"))
            }
            try transaction.rightsRequests.complete(request, at: time, outcome: done)
            return try self.audited(kind, request, person.kind, outcome: done, at: time, purposes: affected)
        }
    }

    /// The purposes a request names, checked against the policy; all of them for `nil`.
    private func purposes(_ names: [String]?) throws -> [String] {
        guard let names else { return self.policy.purposes.map(\.name).sorted() }
        guard !names.isEmpty else {
            throw RightsError(code: .unknownPurpose, message: "name at least one purpose, or all of them")
        }
        for name in names where !self.binding.knows(name) {
            throw RightsError(code: .unknownPurpose, message: "the policy declares no purpose named \(name)")
        }
        return Array(Set(names)).sorted()
    }

    /// The person's canonical pseudonym and, when the store holds them, their subject.
    private func find(_ person: PersonIdentifier) throws -> (Pseudonym, SubjectID?) {
        let pseudonym: Pseudonym
        do {
            pseudonym = try self.normalizer.canonicalMatchHash(kind: person.kind, raw: person.value, region: person.region)
                .pseudonym(matchKey: self.keyring.matchKey)
        } catch {
            throw RightsError(
                code: .invalidIdentifier, message: "the \(person.kind.rawValue) given is not valid: \(error.message)")
        }
        return (pseudonym, self.index.subject(for: pseudonym, kind: person.kind))
    }

    private func open(
        _ kind: StoredRightsRequest.Kind, _ subject: SubjectID?, at time: Date, in transaction: StoreTransaction
    ) throws -> StoredRightsRequest.ID {
        try transaction.rightsRequests.record(
            kind: kind, subject: subject, receivedAt: time, deadline: self.policy.rights.deadline.added(to: time))
    }

    /// Records a request answered at once.
    private func complete(
        _ kind: StoredRightsRequest.Kind, _ subject: SubjectID?, _ outcome: String, at time: Date,
        in transaction: StoreTransaction
    ) throws -> StoredRightsRequest.ID {
        let request = try self.open(kind, subject, at: time, in: transaction)
        try transaction.rightsRequests.complete(request, at: time, outcome: outcome)
        return request
    }

    /// Writes the audit entry of a completed request: its kind, number, the kind of identifier it came with and
    /// its outcome — never the identifier.
    private func audited(
        _ kind: StoredRightsRequest.Kind, _ request: StoredRightsRequest.ID, _ identifierKind: IdentifierKind,
        outcome: String, at time: Date, purposes: [String] = [], resultDigest: String? = nil
    ) throws -> Outcome {
        let receipt = try self.audit.append(AuditRecord(
            principal: self.principal.name, role: self.principal.role, action: .rightsRequest,
            request: .object([
                "kind": .string(kind.rawValue), "request": .integer(Int(request.rawValue)),
                "identified_by": .string(identifierKind.rawValue), "outcome": .string(outcome),
                "purposes": .array(purposes.map(CanonicalJSON.string)),
                "deadline": .string(self.policy.rights.deadline.added(to: time).formatted(Self.timeFormat)),
            ]),
            decision: .allowed("rights.\(kind.rawValue)_completed"), policyDigest: self.policy.digest,
            resultDigest: resultDigest))
        return Outcome(request: request, outcome: outcome, purposes: purposes, auditSequence: receipt.sequence)
    }
}

/// The one identifier a rights request finds the person by.
public struct PersonIdentifier: Sendable, Equatable {
    /// Its kind.
    public let kind: IdentifierKind
    /// The value as the person gave it; normalized as at ingest.
    public let value: String
    /// For a phone number written without its country code: the country (ISO 3166 alpha-2) it belongs to, as the
    /// `country` attribute gave it at ingest; the policy's default region when `nil`.
    public let region: String?

    /// An identifier of `kind`.
    public init(kind: IdentifierKind, value: String, region: String? = nil) {
        self.kind = kind
        self.value = value
        self.region = region
    }
}
