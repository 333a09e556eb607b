internal import CleanRoomStore
internal import Foundation

/// Records released cohorts in the store with group commit: answers released while a transaction is being
/// committed wait together and are written by the next one, so a busy service pays one synced commit for many
/// answers, and none returns before its own record is durable.
///
/// Each release is written in a savepoint of its own, so one that cannot be written fails alone; a transaction
/// that cannot commit fails every release in it (none of them is recorded, so none is answered). The next ones
/// start a new transaction.
final class ReleaseRecorder: @unchecked Sendable {
    /// One answer's cohorts: the first one (the total when released) is linked to the audit entry for access
    /// requests, and each is noted for the principal's differencing guard.
    struct Release {
        var auditSequence: Int
        var principal: String
        var cohorts: [ReleasedCohort]
        /// Whether every cohort is already stored and noted for the principal, so that only the link to the audit
        /// entry is new.
        var cohortsAreKnown: Bool
    }

    private let store: Store
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [(ticket: Int, release: Release)] = []
    private var nextTicket = 0
    /// Every ticket below this one is finished (written or failed).
    private var finishedBelow = 0
    private var failures: [Int: any Error] = [:]
    private var isWriting = false

    init(store: Store) {
        self.store = store
    }

    /// Writes `release` and returns once its transaction is committed.
    ///
    /// - Throws: The store's error when the transaction that held it failed.
    func record(_ release: Release) throws {
        self.condition.lock()
        defer { self.condition.unlock() }
        let ticket = self.nextTicket
        self.nextTicket += 1
        self.pending.append((ticket, release))
        while self.finishedBelow <= ticket {
            if self.isWriting {
                self.condition.wait()
                continue
            }
            self.writePending()
        }
        if let failure = self.failures.removeValue(forKey: ticket) {
            throw failure
        }
    }

    /// Writes everything pending in one transaction, with the lock released meanwhile. Called locked.
    private func writePending() {
        let batch = self.pending
        self.pending.removeAll(keepingCapacity: true)
        self.isWriting = true
        self.condition.unlock()
        let failures = Self.write(batch, to: self.store)
        self.condition.lock()
        self.isWriting = false
        self.failures.merge(failures) { first, _ in first }
        self.finishedBelow = batch[batch.count - 1].ticket + 1
        self.condition.broadcast()
    }

    /// Writes `batch` in one transaction, each release in a savepoint; returns the failures by ticket.
    static func write(_ batch: [(ticket: Int, release: Release)], to store: Store) -> [Int: any Error] {
        var failures: [Int: any Error] = [:]
        do {
            try store.write { transaction in
                for (ticket, release) in batch {
                    do {
                        try transaction.savepoint { try Self.write(release, in: transaction) }
                    } catch {
                        failures[ticket] = error
                    }
                }
            }
        } catch {
            for (ticket, _) in batch { failures[ticket] = error }
        }
        return failures
    }

    private static func write(_ release: Release, in transaction: StoreTransaction) throws {
        let releases = transaction.cohortReleases
        if let first = release.cohorts.first {
            if release.cohortsAreKnown {
                try releases.link(auditSequence: release.auditSequence, toStoredCohort: first.digest)
            } else {
                try releases.record(auditSequence: release.auditSequence, members: first.members, digest: first.digest)
            }
        }
        guard !release.cohortsAreKnown else { return }
        for cohort in release.cohorts {
            try releases.guardCohort(
                principal: release.principal, members: cohort.members, size: cohort.count, digest: cohort.digest,
                auditSequence: release.auditSequence)
        }
    }
}
