internal import Foundation

/// Answers computed in the last second, by query and index generation, so that a dashboard's many identical
/// questions cost one scan a second instead of one each — while each of them is still checked, guarded and
/// audited on its own.
///
/// An answer is reused only on the same generation of the index (any write, withdrawal, erasure, sweep or consent
/// signal coming into effect makes a new one, so those reach the very next answer) and for at most
/// ``lifetime`` after it was computed: what can differ is only the passing of time inside that second (a
/// window's edge, a retention period's end). When several callers miss the same key at once, one computes and
/// the others wait for its result. Once an answer is three quarters through its lifetime, the next caller
/// computes its successor while the others are still given it, so a busy key never makes everyone wait.
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

    private struct Slot {
        var ready: (entry: Entry, computedAt: Date)?
        var isComputing = false
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
        while true {
            let slot = self.slots[key]
            if let ready = slot?.ready, let age = self.age(of: ready.computedAt, at: time) {
                if slot?.isComputing == true || age < 0.75 * self.lifetime {
                    self.condition.unlock()
                    return ready.entry
                }
                break  // This caller refreshes it.
            }
            guard slot?.isComputing == true else { break }
            self.condition.wait()
        }
        self.evictStale(at: time)
        self.slots[key, default: Slot()].isComputing = true
        self.condition.unlock()

        let result = Result(catching: compute)
        self.condition.lock()
        self.slots[key]?.isComputing = false
        if case .success(let entry) = result {
            self.slots[key]?.ready = (entry, time)
        }
        self.condition.broadcast()
        self.condition.unlock()
        return try result.get()
    }

    /// Drops answers past their lifetime, and everything not being computed when still full. Called locked.
    private func evictStale(at time: Date) {
        guard self.slots.count >= self.capacity else { return }
        self.slots = self.slots.filter { _, slot in
            slot.isComputing || slot.ready.flatMap { self.age(of: $0.computedAt, at: time) } != nil
        }
        if self.slots.count >= self.capacity {
            self.slots = self.slots.filter { $0.value.isComputing }
        }
    }

    /// How long before `time` an answer computed at `computedAt` was computed, `nil` when not within its lifetime.
    private func age(of computedAt: Date, at time: Date) -> TimeInterval? {
        let age = time.timeIntervalSince(computedAt)
        return (0..<self.lifetime).contains(age) ? age : nil
    }
}
