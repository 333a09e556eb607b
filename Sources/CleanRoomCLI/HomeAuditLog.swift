import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto

/// The audit log of a home, opened the way every command that answers a request needs it: after the keys
/// (the audit signing key) and the policy in force (its digest goes in every entry) have loaded. Whatever of
/// these fails, the command answers nothing (fail closed).
struct HomeAuditLog {
    /// The origin line of this home's checkpoints.
    static let origin = "cleanroom/audit"

    let log: AuditLog
    let policy: Policy
    let keyring: Keyring
    /// What opening found (a recovered torn write, if any).
    let report: AuditLog.OpenReport

    init(home: CleanRoomHome) throws {
        self.keyring = try Keyring.open(in: home.keysDirectory)
        self.policy = try PolicyLoader.load(contentsOf: home.policyFile)
        let opened = try AuditLog.open(
            directory: home.auditDirectory, signingKey: self.keyring.auditSigningKey,
            options: AuditLog.Options(origin: Self.origin, checkpointEvery: self.policy.audit.checkpointEvery)
        )
        self.log = opened.log
        self.report = opened.report
        if let recovery = opened.report.recovery {
            printToStandardError("audit: \(recovery)")
        }
        // A policy in force that differs from the one the last entry was made under is itself a request to
        // record: the change of what decides every later answer.
        if opened.report.lastPolicyDigest != self.policy.digest {
            try self.record(
                .policyChange,
                request: .object([
                    "previous_digest": opened.report.lastPolicyDigest.map(CanonicalJSON.string) ?? .null,
                    "policy_digest": .string(self.policy.digest),
                ]),
                decision: .allowed("policy.loaded")
            )
        }
    }

    /// Appends an entry for a request made from the command line by the local administrator.
    func record(
        _ action: AuditAction, request: CanonicalJSON, decision: AuditDecision, resultDigest: String? = nil
    ) throws {
        try self.log.append(
            AuditRecord(
                principal: "cli", role: "admin", action: action, request: request, decision: decision,
                policyDigest: self.policy.digest, resultDigest: resultDigest
            )
        )
    }
}
