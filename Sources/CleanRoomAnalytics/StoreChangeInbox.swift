internal import CleanRoomStore
internal import Synchronization

/// The store changes committed since an in-memory index last looked, merged: what the index must reread before it
/// answers again (the cohort engine's people, the match index's pseudonyms).
final class StoreChangeInbox: Sendable {
    private let pending = Mutex(StoreChange())

    /// Merges a committed change in.
    func add(_ change: StoreChange) {
        self.pending.withLock { pending in
            pending.subjects.formUnion(change.subjects)
            pending.everyone = pending.everyone || change.everyone
        }
    }

    /// The changes so far, leaving the inbox empty.
    func take() -> StoreChange {
        self.pending.withLock { pending in
            defer { pending = StoreChange() }
            return pending
        }
    }
}
