public import CleanRoomCore
public import CleanRoomStore
internal import Synchronization

/// The in-memory lookup from every variant pseudonym of the owner's identifiers to its person, which audience
/// overlaps match partners' uploads against (DESIGN.md sections 4 and 9).
///
/// Every e-mail profile (`basic`, `google`, `gmail_dots`, `uid2`) and phone form (`e164`, `digits`) is held, so a
/// file prepared for Meta, Google, Campaign Manager 360 or UID2 matches as it is; so are device ids. Customer ids
/// are not: they are the owner's own numbering, which no partner holds.
///
/// The index is built from the store at start and follows the store's change feed like ``CohortEngine``: the next
/// lookup after a committed write first rereads the pseudonyms of the people it touched (an erased person has
/// none left and stops matching); a bulk change rebuilds it. It takes 12 bytes per pseudonym (``PseudonymTable``).
/// Writes by another process on the same database are not seen.
public final class MatchIndex: Sendable {
    /// The identifier kinds partners match on.
    public static let matchedKinds: Set<IdentifierKind> = [.email, .phone, .deviceID]

    private let store: Store
    private let table: Mutex<PseudonymTable>
    private let inbox: StoreChangeInbox

    /// Loads the pseudonyms of `store` and starts following its changes.
    ///
    /// - Throws: ``StoreError`` when the store cannot be read; ``AnalyticsError`` `unavailable` when a subject id
    ///   does not fit the index's 32 bits.
    public init(store: Store) throws {
        self.store = store
        let inbox = StoreChangeInbox()
        store.observeChanges { change in inbox.add(change) }
        self.inbox = inbox
        self.table = Mutex(try Self.load(from: store))
    }

    /// The number of entries held as of the last lookup: one per distinct pseudonym of a person, plus, until the index
    /// next compacts itself, the old ones of people changed since the last compaction.
    public var count: Int {
        self.table.withLock { $0.count }
    }

    /// The people with a pseudonym whose lookup key (``PseudonymTable/key(_:at:)``) is in `ascending`, each once per
    /// matching key, after applying every committed change.
    ///
    /// - Throws: what reading the changed people's pseudonyms throws; nothing is applied then, and the next call
    ///   tries again.
    func subjects(matchingAscending keys: [UInt64]) throws -> [SubjectID] {
        let change = self.inbox.take()
        do {
            return try self.table.withLock { table in
                try self.apply(change, to: &table)
                var subjects: [SubjectID] = []
                table.forEachSubject(matching: keys) { subjects.append(SubjectID(Int64($0))) }
                return subjects
            }
        } catch {
            self.inbox.add(change)
            throw error
        }
    }

    private func apply(_ change: StoreChange, to table: inout PseudonymTable) throws {
        if change.everyone {
            table = try Self.load(from: self.store)
            return
        }
        guard !change.subjects.isEmpty else { return }
        let current = try self.store.read { transaction in
            try change.subjects.sorted().map { subject in
                (subject, try transaction.identifiers.pseudonyms(of: subject))
            }
        }
        for (subject, pseudonyms) in current {
            let keys = pseudonyms.filter { Self.matchedKinds.contains($0.kind) }.map {
                PseudonymTable.key($0.pseudonym.bytes)
            }
            table.replace(try Self.narrow(subject), keys: keys)
        }
    }

    private static func load(from store: Store) throws -> PseudonymTable {
        try store.read { transaction in
            var keys: [UInt64] = []
            var owners: [UInt32] = []
            // At most four variants per identifier; capacity never touched costs no memory.
            let capacity = try transaction.identifiers.count() * 4
            keys.reserveCapacity(capacity)
            owners.reserveCapacity(capacity)
            try transaction.identifiers.forEachPseudonym { stored in
                guard Self.matchedKinds.contains(stored.kind) else { return }
                keys.append(PseudonymTable.key(stored.pseudonym.bytes))
                owners.append(try Self.narrow(stored.subject))
            }
            PseudonymTable.sortUnique(&keys, carrying: &owners)
            return PseudonymTable(ascendingKeys: keys, owners: owners)
        }
    }

    private static func narrow(_ subject: SubjectID) throws(AnalyticsError) -> UInt32 {
        guard let narrow = UInt32(exactly: subject.rawValue) else {
            throw AnalyticsError(
                code: .unavailable,
                message: "the match index holds subject ids below 2^32, and the store has gone past them")
        }
        return narrow
    }
}

