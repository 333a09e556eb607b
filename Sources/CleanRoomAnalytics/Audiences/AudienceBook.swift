public import CleanRoomAudit
public import CleanRoomCore
public import CleanRoomCrypto
public import CleanRoomStore
public import Foundation
internal import Synchronization

/// Partners' hashed audiences (DESIGN.md sections 4 and 6.6): uploaded, listed, deleted and expired, each upload
/// kept only as pseudonyms, and matched against the owner's people by the ``matchIndex``.
///
/// - An upload (``AudienceUpload``) is turned into pseudonyms under the owner's match key at once; neither the
///   file nor its hashes are kept. It belongs to the partner principal who sent it, gets a random id, and expires
///   after the policy's `audiences.retention`.
/// - A partner sees, uses and deletes only its own audiences; an unknown, expired or another partner's id gives the
///   same ``AudienceError/Code/notFound``.
/// - Every upload and deletion, refused or done, is audited with counts only (never a hash or a pseudonym), the
///   entry written before the change commits; expiries are audited per partner.
/// - ``Analyst/overlap(audience:in:query:as:at:)`` counts the owner's people an audience matches, under the
///   privacy contract.
public final class AudienceBook: Sendable {
    /// The purpose a partner must hold to keep audiences, and that every overlap is computed for.
    public static let purpose = "partner_matching"

    /// The lookup from every variant pseudonym of the owner's identifiers to its person.
    public let matchIndex: MatchIndex
    private let store: Store
    private let policy: Policy
    private let audit: AuditLog
    private let matchKey: HMACSHA256.Authenticator
    private let maximumHashes: Int

    /// A book of the audiences in `store`, pseudonymized under `keyring`'s match key, governed by `policy` and
    /// audited into `audit`; its match index is loaded from `store` now.
    ///
    /// - Parameter maximumHashes: the most distinct match hashes one upload may hold.
    /// - Throws: what loading the ``MatchIndex`` throws.
    public init(
        store: Store, keyring: Keyring, policy: Policy, audit: AuditLog,
        maximumHashes: Int = AudienceUpload.defaultMaximumHashes
    ) throws {
        self.store = store
        self.policy = policy
        self.audit = audit
        self.matchKey = HMACSHA256.Authenticator(key: keyring.matchKey)
        self.maximumHashes = maximumHashes
        self.matchIndex = try MatchIndex(store: store)
    }

    // MARK: Upload, list, delete, expire

    /// Stores the audience `body` holds (see ``AudienceUpload``) for the partner principal `principalName`.
    ///
    /// - Throws: ``AudienceError``: `forbidden` when the principal is no partner holding `partner_matching`;
    ///   `invalidUpload` naming the line at fault; `tooManyHashes`; `unavailable` when it cannot be stored or
    ///   audited. Each refusal is audited.
    public func upload(_ body: Data, as principalName: String, at time: Date = Date()) throws(AudienceError)
        -> AudienceSummary
    {
        let principal: Policy.Principal
        let upload: AudienceUpload
        do throws(AudienceError) {
            principal = try self.partner(named: principalName)
            upload = try AudienceUpload(parsing: body, maximumHashes: self.maximumHashes)
        } catch {
            try self.auditRefusal(
                error, action: .audienceUpload, request: .object(["bytes": .integer(body.count)]),
                principalName: principalName)
            throw error
        }
        let pseudonyms = self.pseudonyms(of: upload)
        let audience: StoredAudience
        do {
            audience = StoredAudience(
                id: try AudienceID.generate(), owner: principal.name, createdAt: time,
                expiresAt: self.policy.audiences.retention.added(to: time), size: upload.count)
            try self.store.write { transaction in
                try transaction.audiences.insert(audience, pseudonyms: pseudonyms)
                try self.audit.append(AuditRecord(
                    principal: principal.name, role: principal.role.rawValue, action: .audienceUpload,
                    purpose: Self.purpose,
                    request: .object([
                        "audience": .string(audience.id), "format": .string(upload.format.rawValue),
                        "hashes": .integer(audience.size),
                    ]),
                    decision: .allowed("audience.stored"), policyDigest: self.policy.digest))
            }
        } catch {
            throw AudienceError(
                code: .unavailable,
                message: "the audience could not be stored and audited, so it was not kept: \(error)")
        }
        return Self.summary(audience)
    }

    /// The audiences of the partner principal `principalName` that have not expired by `time`, oldest first,
    /// after deleting every expired audience (``expire(at:)``).
    ///
    /// - Throws: ``AudienceError`` `forbidden` when the principal is no partner holding `partner_matching`;
    ///   `unavailable` when the audiences cannot be read.
    public func audiences(of principalName: String, at time: Date = Date()) throws(AudienceError) -> [AudienceSummary] {
        let principal = try self.partner(named: principalName)
        try self.expire(at: time)
        do {
            return try self.store.read { try $0.audiences.audiences(ownedBy: principal.name) }
                .filter { $0.expiresAt > time }.map(Self.summary)
        } catch {
            throw AudienceError(code: .unavailable, message: "the audiences could not be read: \(error)")
        }
    }

    /// Deletes the audience `id` of the partner principal `principalName`, after deleting every audience expired by
    /// `time` (``expire(at:)``).
    ///
    /// - Throws: ``AudienceError``: `forbidden` when the principal is no partner holding `partner_matching`;
    ///   `notFound` when the principal has no audience `id` (unknown, expired, deleted or another's: the error does
    ///   not say which); `unavailable` when it cannot be deleted and audited. Each refusal is audited.
    public func delete(_ id: String, as principalName: String, at time: Date = Date()) throws(AudienceError) {
        let request = Self.request(naming: id)
        do throws(AudienceError) {
            let principal = try self.partner(named: principalName)
            try self.expire(at: time)
            let deleted: Bool
            do {
                deleted = try self.store.write { transaction in
                    guard let audience = try transaction.audiences.delete(id: id, ownedBy: principal.name) else {
                        return false
                    }
                    try self.audit.append(AuditRecord(
                        principal: principal.name, role: principal.role.rawValue, action: .audienceDelete,
                        purpose: Self.purpose,
                        request: .object(["audience": .string(audience.id), "hashes": .integer(audience.size)]),
                        decision: .allowed("audience.deleted"), policyDigest: self.policy.digest))
                    return true
                }
            } catch {
                throw AudienceError(
                    code: .unavailable, message: "the audience could not be deleted and audited: \(error)")
            }
            guard deleted else { throw Self.notFound }
        } catch where error.code == .forbidden || error.code == .notFound {
            try self.auditRefusal(error, action: .audienceDelete, request: request, principalName: principalName)
            throw error
        }
    }

    /// Deletes every audience expired by `time` (of every partner), auditing the counts per partner.
    ///
    /// Listing and overlaps call it first; a periodic sweep may call it too.
    ///
    /// - Returns: the number of audiences deleted.
    /// - Throws: ``AudienceError`` `unavailable` when they cannot be deleted and audited (then none is).
    @discardableResult
    public func expire(at time: Date = Date()) throws(AudienceError) -> Int {
        do {
            return try self.store.write { transaction in
                let expired = try transaction.audiences.deleteExpired(at: time)
                for (owner, audiences) in Dictionary(grouping: expired, by: \.owner).sorted(by: { $0.key < $1.key }) {
                    try self.audit.append(AuditRecord(
                        principal: owner, role: self.policy.principal(named: owner)?.role.rawValue ?? "none",
                        action: .audienceExpiry, purpose: Self.purpose,
                        request: .object([
                            "audiences": .integer(audiences.count),
                            "hashes": .integer(audiences.reduce(0) { $0 + $1.size }),
                        ]),
                        decision: .allowed("audiences.retention"), policyDigest: self.policy.digest))
                }
                return expired.count
            }
        } catch {
            throw AudienceError(
                code: .unavailable, message: "expired audiences could not be deleted and audited: \(error)")
        }
    }

    // MARK: Matching

    /// The rows of `index` holding the people audience `id` of `principalName` matches, after expiring what is due.
    ///
    /// - Throws: ``AudienceError`` `notFound` when the principal has no live audience `id`; `unavailable` when it
    ///   cannot be read or matched.
    func matchedRows(ofAudience id: String, ownedBy principalName: String, in index: CohortIndex, at time: Date)
        throws(AudienceError) -> SubjectSet
    {
        try self.expire(at: time)
        let subjects: [SubjectID]
        do {
            let blob = try self.store.read { transaction -> [UInt8]? in
                guard AudienceID.isWellFormed(id), let audience = try transaction.audiences.find(id: id),
                    audience.owner == principalName, audience.expiresAt > time
                else { return nil }
                return try transaction.audiences.pseudonyms(ofAudience: id)
            }
            guard let blob else { throw Self.notFound }
            // The pseudonyms are stored ordered by key.
            let keys = stride(from: 0, to: blob.count, by: Pseudonym.byteCount).map { PseudonymTable.key(blob, at: $0) }
            subjects = try self.matchIndex.subjects(matchingAscending: keys)
        } catch let error as AudienceError {
            throw error
        } catch {
            throw AudienceError(code: .unavailable, message: "the audience could not be matched: \(error)")
        }
        var rows = SubjectSet(capacity: index.rowCount)
        for subject in subjects {
            if let row = index.row(of: subject) { rows.insert(row) }
        }
        return rows
    }

    // MARK: Helpers

    /// The principal `name`, which must be a partner holding ``purpose``.
    private func partner(named name: String) throws(AudienceError) -> Policy.Principal {
        guard let principal = self.policy.principal(named: name) else {
            throw AudienceError(code: .forbidden, message: "no principal is called \(name)", rule: "principal.unknown")
        }
        guard principal.role == .partner else {
            throw AudienceError(
                code: .forbidden, message: "only partners hold audiences, and \(name) is \(principal.role.rawValue)",
                rule: "role.audience")
        }
        guard principal.purposes.contains(Self.purpose) else {
            throw AudienceError(
                code: .forbidden, message: "\(name) may not use \(Self.purpose), which audiences serve",
                rule: "principal.purpose")
        }
        return principal
    }

    /// The pseudonyms of `hashes` under the match key, 32 bytes each end to end, ordered by their lookup keys (their
    /// first 8 bytes, ``PseudonymTable/key(_:at:)``), so that an overlap reads the keys ascending.
    /// The pseudonyms of the upload's hashes, 32 bytes each, end to end, ordered by key: computed on every core,
    /// a share of the hashes each.
    private func pseudonyms(of upload: AudienceUpload) -> [UInt8] {
        let size = Pseudonym.byteCount
        let count = upload.count
        precondition(count <= Int(UInt32.max), "an upload's hashes are numbered in 32 bits")
        let shares = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 10_000))
        let codes = Mutex([[UInt8]](repeating: [], count: shares))
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            let range = (count * share / shares)..<(count * (share + 1) / shares)
            let computed = self.matchKey.authenticationCodes(
                ofMessagesIn: Array(upload.digests[(range.lowerBound * size)..<(range.upperBound * size)]),
                messageLength: size)
            codes.withLock { $0[share] = computed }
        }
        let all = codes.withLock { $0 }.flatMap { $0 }
        var keys = (0..<count).map { PseudonymTable.key(all, at: $0 * size) }
        var order = (0..<count).map { UInt32($0) }
        PseudonymTable.sort(&keys, carrying: &order)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(all.count)
        for position in order { bytes += all[(Int(position) * size)..<((Int(position) + 1) * size)] }
        return bytes
    }

    private static let notFound = AudienceError(
        code: .notFound, message: "you have no audience with this id; list yours to see their ids",
        rule: "audience.not_found")

    /// An audit request naming audience `id` when it has the shape of one (anything else a caller sends might be
    /// an identifier, and stays out of the log).
    static func request(naming id: String) -> CanonicalJSON {
        .object(["audience": .string(AudienceID.isWellFormed(id) ? id : "(malformed)")])
    }

    private static func summary(_ audience: StoredAudience) -> AudienceSummary {
        AudienceSummary(
            id: audience.id, createdAt: audience.createdAt, expiresAt: audience.expiresAt, hashes: audience.size)
    }

    private func auditRefusal(
        _ error: AudienceError, action: AuditAction, request: CanonicalJSON, principalName: String
    ) throws(AudienceError) {
        let role = self.policy.principal(named: principalName)?.role
        do {
            try self.audit.append(AuditRecord(
                principal: role == nil ? "unknown" : principalName, role: role?.rawValue ?? "none", action: action,
                purpose: Self.purpose, request: request,
                decision: .refused(error.rule ?? "audience.\(error.code.rawValue)"), policyDigest: self.policy.digest))
        } catch {
            throw AudienceError(
                code: .unavailable, message: "the refusal could not be audited; nothing was done: \(error)")
        }
    }
}
