import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomIngest
import CleanRoomRights
import CleanRoomStore
import Foundation

/// A home opened as a long-running service opens it: keys, the policy in force, the audit log, the store, and
/// the identity index loaded once. The layout is `cleanroom`'s (Sources/CleanRoomCLI/CleanRoomHome.swift).
struct BenchHome {
    /// The audit log's origin line, as `cleanroom` writes it.
    static let auditOrigin = "cleanroom/audit"

    let keyring: Keyring
    let policy: Policy
    let audit: AuditLog
    let store: Store
    let index: IdentityIndex
    /// Subjects held when opened.
    let subjects: Int
    /// Seconds to open keys, policy and audit log.
    let keysPolicyAuditSeconds: Double
    /// Seconds to open the store (integrity check and migrations included).
    let storeOpenSeconds: Double
    /// Seconds to load the identity index.
    let indexLoadSeconds: Double

    init(root: String) throws {
        let home = URL(fileURLWithPath: root, isDirectory: true)
        func path(_ relative: String) -> String { home.appendingPathComponent(relative).path }
        let ((keyring, policy, audit), keysPolicyAudit) = try Stopwatch.time {
            let keyring = try Keyring.open(in: path("keys"))
            let policy = try PolicyLoader.load(contentsOf: path("policies/default.yaml"))
            let opened = try AuditLog.open(
                directory: path("audit"), signingKey: keyring.auditSigningKey,
                options: AuditLog.Options(origin: Self.auditOrigin, checkpointEvery: policy.audit.checkpointEvery))
            // As `cleanroom` does: a policy that differs from the one the last entry was made under is recorded.
            if opened.report.lastPolicyDigest != policy.digest {
                try opened.log.append(AuditRecord(
                    principal: "rights-bench", role: "admin", action: .policyChange,
                    request: .object([
                        "previous_digest": opened.report.lastPolicyDigest.map(CanonicalJSON.string) ?? .null,
                        "policy_digest": .string(policy.digest),
                    ]),
                    decision: .allowed("policy.loaded"), policyDigest: policy.digest))
            }
            return (keyring, policy, opened.log)
        }
        let (store, storeOpen) = try Stopwatch.time {
            try Store.open(
                path: path("cleanroom.sqlite"),
                options: Store.Options(createIfMissing: false, keyVaultPath: path("keys/data-keys.sqlite")))
        }
        let (index, indexLoad) = try Stopwatch.time { try IdentityIndex.load(from: store) }
        self.keyring = keyring
        self.policy = policy
        self.audit = audit
        self.store = store
        self.index = index
        self.subjects = try store.read { try $0.subjects.count() }
        self.keysPolicyAuditSeconds = keysPolicyAudit
        self.storeOpenSeconds = storeOpen
        self.indexLoadSeconds = indexLoad
    }

    /// The rights desk over this home.
    func desk() throws -> RightsDesk {
        try RightsDesk(
            store: self.store, keyring: self.keyring, policy: self.policy, index: self.index, audit: self.audit,
            principal: ("rights-bench", "admin"))
    }

    /// Closes the audit log (writing its checkpoint) and the store.
    func close() throws {
        try self.audit.close()
        try self.store.close()
    }
}
