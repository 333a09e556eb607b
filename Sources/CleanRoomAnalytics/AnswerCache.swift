internal import Foundation

/// Answers computed in the last second, by query and index generation, so that a dashboard's many identical
/// questions cost one scan a second instead of one each — while each of them is still checked, guarded and
/// audited on its own.
///
/// An answer is reused only on the same generation of the index (any write, withdrawal, erasure, sweep or consent
/// signal coming into effect makes a new one, so those reach the very next answer) and for at most
/// ``lifetime`` after it was computed: what can differ is only the passing of time inside that second (a
/// window's edge, a retention period's end). When several callers miss the same key at once, one computes and
/// the others wait for its result.
final class AnswerCache: @unchecked Sendable {
    /// What identifies an answer: the query's canonical text and the index generation it was computed on.
    struct Key: Hashable {
        var query: String
        var generation: Int
    }

    /// A computed answer (not yet audited) and the cohorts behind its numbers.
    struct Entry {
        var answer: QueryAnswer
        var cohorts: [ReleasedCohort]
    }

    private enum Slot {
        case computing
        case ready(Entry, computedAt: Date)
    }

    /// How long an answer is reused.
    let lifetime: TimeInterval
    private let capacity: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var slots: [Key: Slot] = [:]

    init(lifetime: TimeInterval = 1, capacity: Int = 64) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The answer of `key` computed within ``lifetime`` before `time`, or the one `compute` gives (kept for the
    /// next callers when it succeeds). A failure is not kept: the next caller computes again.
    func answer<Failure: Error>(
        _ key: Key, at time: Date, compute: () throws(Failure) -> Entry
    ) throws(Failure) -> Entry {
        self.condition.lock()
        while case .computing? = self.slots[key] {
            self.condition.wait()
        }
        if case .ready(let entry, let computedAt)? = self.slots[key], self.isFresh(computedAt, at: time) {
            self.condition.unlock()
            return entry
        }
        self.evictStale(at: time)
        self.slots[key] = .computing
        self.condition.unlock()

        let result = Result(catching: compute)
        self.condition.lock()
        switch result {
        case .success(let entry): self.slots[key] = .ready(entry, computedAt: time)
        case .failure: self.slots[key] = nil
        }
        self.condition.broadcast()
        self.condition.unlock()
        return try result.get()
    }

    /// Drops answers past their lifetime, and everything ready when still full. Called locked.
    private func evictStale(at time: Date) {
        guard self.slots.count >= self.capacity else { return }
        self.slots = self.slots.filter { _, slot in
            switch slot {
            case .computing: true
            case .ready(_, let computedAt): self.isFresh(computedAt, at: time)
            }
        }
        if self.slots.count >= self.capacity {
            self.slots = self.slots.filter { _, slot in if case .computing = slot { true } else { false } }
        }
    }

    private func isFresh(_ computedAt: Date, at time: Date) -> Bool {
        (0..<self.lifetime).contains(time.timeIntervalSince(computedAt))
    }
}
