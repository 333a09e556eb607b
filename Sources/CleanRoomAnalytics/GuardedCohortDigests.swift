internal import Synchronization

/// The digests of the cohorts each principal was answered about and whose records are durable: the differencing
/// guard already compared each of them with every cohort the principal was answered about before it, and every
/// later one was compared with it, so answering about one of them again needs no new comparison.
final class GuardedCohortDigests: Sendable {
    private let digests = Mutex<[String: Set<[UInt8]>]>([:])
    private let capacity: Int

    /// Remembers up to `capacity` digests per principal, starting over when full (a forgotten digest only costs a
    /// comparison with the store's history).
    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Whether every one of `cohorts` is known for `principal`.
    func containsAll(_ cohorts: [ReleasedCohort], for principal: String) -> Bool {
        self.digests.withLock { digests in
            guard let known = digests[principal] else { return cohorts.isEmpty }
            return cohorts.allSatisfy { known.contains($0.digest) }
        }
    }

    /// Notes `cohorts` as durably recorded for `principal`.
    func insert(_ cohorts: [ReleasedCohort], for principal: String) {
        self.digests.withLock { digests in
            if digests[principal, default: []].count + cohorts.count > self.capacity {
                digests[principal] = []
            }
            digests[principal, default: []].formUnion(cohorts.map(\.digest))
        }
    }
}
