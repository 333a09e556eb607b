internal import Synchronization

/// What the differencing guard already decided, per principal, by cohort digest.
///
/// - Allowed: cohorts the principal was answered about, with durable records. The guard compared each of them with
///   every cohort the principal was answered about before it, and every later one was compared with it, so
///   answering about one of them again needs no new comparison.
/// - Refused: cohorts the guard refused. The history they clashed with only grows, so they stay refused, and the
///   refusal needs no new comparison either.
final class GuardedCohortDigests: Sendable {
    /// Digests per principal, up to a capacity each, starting over when full (a forgotten digest only costs a
    /// comparison with the store's history).
    private struct Digests {
        let capacity: Int
        var byPrincipal: [String: Set<[UInt8]>] = [:]

        func contains(_ cohort: ReleasedCohort, for principal: String) -> Bool {
            self.byPrincipal[principal]?.contains(cohort.digest) == true
        }

        mutating func insert(_ cohorts: [ReleasedCohort], for principal: String) {
            if self.byPrincipal[principal, default: []].count + cohorts.count > self.capacity {
                self.byPrincipal[principal] = []
            }
            self.byPrincipal[principal, default: []].formUnion(cohorts.map(\.digest))
        }
    }

    private let allowed: Mutex<Digests>
    private let refused: Mutex<Digests>

    /// Remembers up to `capacity` allowed and refused digests per principal.
    init(capacity: Int = 100_000) {
        self.allowed = Mutex(Digests(capacity: capacity))
        self.refused = Mutex(Digests(capacity: capacity))
    }

    /// Whether every one of `cohorts` was answered about to `principal`.
    func containsAll(_ cohorts: [ReleasedCohort], for principal: String) -> Bool {
        self.allowed.withLock { allowed in cohorts.allSatisfy { allowed.contains($0, for: principal) } }
    }

    /// Notes `cohorts` as durably recorded for `principal`.
    func insert(_ cohorts: [ReleasedCohort], for principal: String) {
        self.allowed.withLock { $0.insert(cohorts, for: principal) }
    }

    /// Whether any of `cohorts` was refused to `principal` before.
    func containsRefused(_ cohorts: [ReleasedCohort], for principal: String) -> Bool {
        self.refused.withLock { refused in cohorts.contains { refused.contains($0, for: principal) } }
    }

    /// Notes `cohort` as refused to `principal`.
    func insertRefused(_ cohort: ReleasedCohort, for principal: String) {
        self.refused.withLock { $0.insert([cohort], for: principal) }
    }
}
