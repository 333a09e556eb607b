public import CleanRoomCore
internal import Synchronization

/// What one committed write transaction changed, for the in-memory indexes kept current beside the store
/// (the cohort engine of DESIGN.md section 9).
public struct StoreChange: Sendable, Equatable {
    /// The people whose rows (subject, identifiers, attributes, consent, events) were added, changed or deleted.
    public var subjects: Set<SubjectID> = []
    /// Whether the transaction changed data of people it did not name one by one (a retention sweep's bulk
    /// deletes): an index must then reread everyone.
    public var everyone = false

    /// A change touching `subjects`, or everyone.
    public init(subjects: Set<SubjectID> = [], everyone: Bool = false) {
        self.subjects = subjects
        self.everyone = everyone
    }

    /// Whether nothing about people changed.
    public var isEmpty: Bool { self.subjects.isEmpty && !self.everyone }
}

/// The people a write transaction touches, noted by the repositories as they write.
///
/// Used only by the thread running the transaction.
final class ChangeCollector: @unchecked Sendable {
    private(set) var change = StoreChange()
    /// The subject touched last: a person's rows are written one after another, so most touches repeat it and
    /// need no set insertion.
    private var lastTouched: SubjectID?

    func touch(_ subject: SubjectID) {
        guard subject != self.lastTouched else { return }
        self.lastTouched = subject
        self.change.subjects.insert(subject)
    }

    func touchEveryone() {
        self.change.everyone = true
    }
}

/// The handlers told of every committed change, shared by the copies of one ``Store``.
final class StoreObservers: Sendable {
    private let handlers = Mutex<[@Sendable (StoreChange) -> Void]>([])

    func add(_ handler: @escaping @Sendable (StoreChange) -> Void) {
        self.handlers.withLock { $0.append(handler) }
    }

    func notify(_ change: StoreChange) {
        guard !change.isEmpty else { return }
        for handler in self.handlers.withLock({ $0 }) {
            handler(change)
        }
    }
}
