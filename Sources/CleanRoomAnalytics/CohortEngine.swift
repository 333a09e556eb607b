public import CleanRoomCore
public import CleanRoomStore
public import Foundation
internal import Synchronization

/// The cohort index of a store, kept current without a restart (DESIGN.md section 9).
///
/// The engine loads the index once, then listens to the store: every committed write (ingest batch, consent
/// change, withdrawal, erasure, retention sweep) names the people it touched, and the next call to
/// ``current(at:)`` rereads exactly those people before answering — so the very next query already sees a
/// withdrawal or an erasure. A bulk change (a retention sweep) rebuilds the whole index. People whose consent
/// signals were dated in the future are decided again once that time has come.
///
/// Writes made by another process on the same database are not seen; run writers through the same ``Store``.
public final class CohortEngine: Sendable {
    private let store: Store
    private let policy: Policy
    /// The index, and how many times a change was applied to it since loading.
    private let state: Mutex<(index: CohortIndex, generation: Int)>
    private let inbox: StoreChangeInbox

    /// Loads the index of `store` under `policy` and starts following the store's changes.
    public init(store: Store, policy: Policy, at time: Date = Date()) throws {
        self.store = store
        self.policy = policy
        let inbox = StoreChangeInbox()
        store.observeChanges { change in inbox.add(change) }
        self.inbox = inbox
        self.state = Mutex((try CohortIndex.load(from: store, policy: policy, at: time), 0))
    }

    /// The index with every committed change applied, as of `time`.
    public func current(at time: Date = Date()) throws -> CohortIndex {
        try self.versioned(at: time).index
    }

    /// The index with every committed change applied, as of `time`, and its generation: a number that changes
    /// whenever anything in the index does (a write, a bulk change, a consent signal coming into effect), so an
    /// answer computed on one generation stays true of the people as long as the generation is the same.
    ///
    /// The changes are taken from the inbox under the index's lock: a caller that arrives after a write was
    /// acknowledged either applies it or waits for the caller applying it, and never gets the index from before.
    public func versioned(at time: Date = Date()) throws -> (index: CohortIndex, generation: Int) {
        try self.state.withLock { state in
            let change = self.inbox.take()
            do {
                return try self.apply(change, to: &state, at: time)
            } catch {
                // Nothing was applied: keep the change for the next call.
                self.inbox.add(change)
                throw error
            }
        }
    }

    private func apply(
        _ change: StoreChange, to state: inout (index: CohortIndex, generation: Int), at time: Date
    ) throws -> (index: CohortIndex, generation: Int) {
        if change.everyone {
            state = (try CohortIndex.load(from: self.store, policy: self.policy, at: time), state.generation + 1)
            return state
        }
        let due = state.index.nextConsentChange.map { $0 <= time.storedMilliseconds } == true
            ? state.index.subjectsDue(at: time.storedMilliseconds) : []
        let subjects = change.subjects.union(due)
        guard !subjects.isEmpty else { return state }
        let people = try self.store.read { transaction in
            try subjects.sorted().map { subject in
                (subject, try CohortIndex.person(subject, in: transaction))
            }
        }
        for (subject, person) in people {
            if let person {
                state.index.put(person, decidingAt: time)
            } else {
                state.index.remove(subject)
            }
        }
        state.generation += 1
        return state
    }
}
