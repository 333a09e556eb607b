public import CleanRoomCore
public import CleanRoomStore
import Foundation
import Synchronization

/// The in-memory map from the canonical pseudonym of every stored identifier to its subject: the identity
/// resolution of DESIGN.md sections 4 and 9, rebuilt from the store at start rather than kept as a SQLite
/// index on random keys.
///
/// Only canonical pseudonyms are held (the `google` profile of an e-mail, the E.164 form of a phone, device and
/// customer ids), one 32-byte key per identifier, keyed with its kind: a customer id spelled like someone's device
/// id is another identifier. The suppressed pseudonyms of erased people are held without kind, as the store's
/// suppression list holds them.
public final class IdentityIndex: @unchecked Sendable {
    /// A pseudonym's 32 bytes as four words: a key without a heap allocation.
    ///
    /// A pseudonym is an HMAC output, uniformly distributed, so its first word alone is as good a hash as all
    /// four: ``IdentityTable`` takes its slot from that word, and a `Set` hashes only that word.
    struct Key: Hashable {
        let a: UInt64, b: UInt64, c: UInt64, d: UInt64

        func hash(into hasher: inout Hasher) {
            hasher.combine(self.a)
        }
    }

    /// How many times identifiers were added to, and removed from, the index: a lookup made earlier still holds
    /// for the identifiers it found while no removal happened since, and for those it did not find while no addition
    /// happened since.
    struct Version: Equatable {
        fileprivate(set) var additions = 0
        fileprivate(set) var removals = 0
    }

    /// What the index said of a row's identifiers, and when.
    struct Lookup {
        /// The subject of each key, `nil` for a key not indexed.
        var subjects: [SubjectID?]
        /// Whether any of the row's pseudonyms is suppressed.
        var isSuppressed: Bool
        /// The index's version at the lookup.
        var version: Version
    }

    private let lock = ReadWriteLock()
    private var subjects = IdentityTable()
    /// The pseudonyms of erased people (the store's suppression list): an ingest drops a row naming one.
    private var suppressed: Set<Key> = []
    private var changes = Version()
    /// ``Version/removals`` of ``changes``, readable without the lock: every applied row asks it
    /// (``Ingestor/isSuppressed(_:)``), and taking the lock each time moved its cache line between the cores.
    private let removalCount = Atomic<Int>(0)
    /// The keys of the latest additions, each as a bitmap over the low bits of the keys' first word (uniformly
    /// random, an HMAC's): which rows prepared before them may have been added since, without a lookup in the whole
    /// index (a cache miss for each of millions of keys).
    private var recentAdditions: [(additions: Int, bits: [UInt64])] = []
    /// How many additions keep their bitmap, and its size in bits (128 KiB): a batch of 5,000 customers adds about
    /// 14,000 keys, which set 1.3 % of the bits, so a row of three new identifiers prepared six batches ahead of
    /// its commit (``Ingestor/batchesPreparedAhead``) is looked up again about one time in five.
    private static let recentAdditionsKept = 8
    private static let additionBitmapBits = 1 << 20
    /// The loading of the store's identifiers: done at once but for ``loading(from:)``, which sets it before the
    /// index is shared. Accessors wait for it; a failed load leaves the index empty, and the ingest's first commit
    /// rethrows its error through ``waitUntilLoaded()`` before anything is written.
    private var loaded = BackgroundWork(value: ())

    /// An empty index.
    public init() {}

    /// Builds the index from every identifier in `store`.
    public static func load(from store: Store) throws -> IdentityIndex {
        try Self.load(from: store, twoThreadsFrom: Self.twoThreadLoadMinimum)
    }

    /// Builds the index from every identifier in `store`, reading on two threads from `minimum` identifiers.
    static func load(from store: Store, twoThreadsFrom minimum: Int) throws -> IdentityIndex {
        let index = IdentityIndex()
        index.subjects = try Self.subjects(in: store, twoThreadsFrom: minimum)
        return index
    }

    /// Starts building the index from every identifier in `store` on a thread of its own and returns it at once,
    /// so that an ingest reads and prepares its first rows meanwhile.
    ///
    /// Until the identifiers are in, the lookups of rows being prepared find nobody, which their batch corrects
    /// at commit (the loading counts as an addition, ``Version``); everything else waits for them.
    /// ``waitUntilLoaded()`` rethrows a failure to load them.
    public static func loading(from store: Store) -> IdentityIndex {
        let index = IdentityIndex()
        index.loaded = BackgroundWork(name: "cleanroom.identity-index.load") {
            let subjects = try Self.subjects(in: store, twoThreadsFrom: Self.twoThreadLoadMinimum)
            index.lock.withWriteLock {
                index.subjects = subjects
                // No bitmap: a row prepared before the load is looked up again in the whole index.
                index.changes.additions += 1
            }
        }
        return index
    }

    /// The store's identifiers by key. A large table is read in two halves on two threads (SQLite's reading of
    /// the rows is half of the work); the second half's entries join the table after the first's, in the
    /// identifiers' arrival order as one reading would have them.
    private static func subjects(in store: Store, twoThreadsFrom minimum: Int) throws -> IdentityTable {
        let (count, ids) = try store.read { transaction in
            (try transaction.identifiers.count(), try transaction.identifiers.rowIDs())
        }
        var subjects = IdentityTable(capacity: count)
        guard let ids else { return subjects }
        let middle = ids.lowerBound + (ids.upperBound - ids.lowerBound) / 2
        let split = count >= minimum && middle < ids.upperBound
        let secondHalf = split
            ? BackgroundWork(name: "cleanroom.identity-index.load-half") {
                var entries: [(Key, SubjectID)] = []
                entries.reserveCapacity(count / 2 + 1)
                try Self.forEachEntry(in: store, ids: (middle + 1)...ids.upperBound) { entries.append(($0, $1)) }
                return entries
            } : nil
        try Self.forEachEntry(in: store, ids: split ? ids.lowerBound...middle : ids) { subjects[$0] = $1 }
        for (key, subject) in try secondHalf?.value() ?? [] {
            subjects[key] = subject
        }
        return subjects
    }

    /// How many identifiers make loading on two threads worth a thread.
    private static let twoThreadLoadMinimum = 100_000

    private static func forEachEntry(
        in store: Store, ids: ClosedRange<Int64>, _ body: (Key, SubjectID) -> Void
    ) throws {
        try store.read { transaction in
            try transaction.identifiers.forEachPseudonym(
                ofVariant: { IdentifierNormalizer.canonicalRule(of: $0).description }, ids: ids
            ) { subject, kind, pseudonym in
                body(Key(bytes: pseudonym, kind: kind), subject)
            }
        }
    }

    /// Waits until the store's identifiers are in.
    ///
    /// - Throws: The store's error when ``loading(from:)`` could not read them.
    public func waitUntilLoaded() throws {
        try self.loaded.value()
    }

    /// The number of identifiers indexed.
    public var count: Int {
        _ = try? self.loaded.value()
        return self.lock.withReadLock { self.subjects.count }
    }

    /// The subject an identifier's canonical pseudonym belongs to.
    public func subject(for pseudonym: Pseudonym, kind: IdentifierKind) -> SubjectID? {
        _ = try? self.loaded.value()
        return self.lock.withReadLock { self.subjects[Key(pseudonym, kind: kind)] }
    }

    /// The subjects of several keys, looked up under one lock: `nil` for a key not indexed.
    func subjects(for keys: [Key]) -> [SubjectID?] {
        _ = try? self.loaded.value()
        return self.lock.withReadLock { keys.map { self.subjects[$0] } }
    }

    /// The subjects of a row's identifiers and whether any of their canonical pseudonyms is suppressed, under one
    /// lock, with the version they hold for.
    func lookUp(_ identifiers: [ResolvedIdentifiers.Identifier]) -> Lookup {
        self.lock.withReadLock {
            Lookup(
                subjects: identifiers.map { self.subjects[$0.key] },
                // No hashing of every row's pseudonyms against a suppression list that is empty.
                isSuppressed: !self.suppressed.isEmpty
                    && identifiers.contains { self.suppressed.contains($0.key.suppressionKey(kind: $0.kind)) },
                version: self.changes)
        }
    }

    /// The index's version now.
    var version: Version {
        self.lock.withReadLock { self.changes }
    }

    /// How many removals and suppressions the index has had: ``version``'s `removals`, read without the lock.
    var removals: Int {
        self.removalCount.load(ordering: .acquiring)
    }

    /// Forgets the pseudonyms of a person the store no longer holds (a retention sweep deleted them); they may
    /// come back with new data.
    public func remove(_ pseudonyms: [StoredPseudonym]) {
        _ = try? self.loaded.value()
        self.lock.withWriteLock {
            for stored in pseudonyms {
                self.subjects[Key(stored.pseudonym, kind: stored.kind)] = nil
            }
            self.countRemoval()
        }
    }

    /// Forgets an erased person and suppresses their pseudonyms: every ingest sharing this index drops them from
    /// now on, as the store's suppression list says.
    public func erase(_ pseudonyms: [StoredPseudonym]) {
        self.suppress(pseudonyms.map(\.pseudonym))
        self.remove(pseudonyms)
    }

    /// Adds pseudonyms to the suppressed ones (those of the store's suppression list). It counts as a removal, so
    /// that rows prepared before it are checked again (``Ingestor/isSuppressed(_:)``).
    public func suppress(_ pseudonyms: some Sequence<Pseudonym>) {
        self.lock.withWriteLock {
            for pseudonym in pseudonyms {
                self.suppressed.insert(Key(pseudonym))
            }
            self.countRemoval()
        }
    }

    /// Counts a removal or suppression in ``changes`` and in ``removalCount``, which mirrors it; under the write lock.
    private func countRemoval() {
        self.changes.removals += 1
        self.removalCount.store(self.changes.removals, ordering: .releasing)
    }

    /// Adds committed identifiers.
    func insert(_ entries: [(Key, SubjectID)]) {
        guard !entries.isEmpty else { return }
        _ = try? self.loaded.value()
        var bits = [UInt64](repeating: 0, count: Self.additionBitmapBits / 64)
        for (key, _) in entries {
            let (word, mask) = Self.additionBit(of: key)
            bits[word] |= mask
        }
        self.lock.withWriteLock {
            for (key, subject) in entries {
                self.subjects[key] = subject
            }
            self.changes.additions += 1
            self.recentAdditions.append((self.changes.additions, bits))
            if self.recentAdditions.count > Self.recentAdditionsKept {
                self.recentAdditions.removeFirst()
            }
        }
    }

    /// Whether any of `keys` may have been added since `version`: `false` only when the bitmaps of every addition
    /// since say none was; `true` when one may have been, or when there were more additions than bitmaps kept.
    func mayHaveAdded(_ keys: [Key], since version: Version) -> Bool {
        self.lock.withReadLock {
            let since = self.changes.additions - version.additions
            guard since <= self.recentAdditions.count,
                self.recentAdditions.suffix(since).first.map({ $0.additions == version.additions + 1 }) ?? true
            else { return true }
            return self.recentAdditions.suffix(since).contains { addition in
                keys.contains { key in
                    let (word, mask) = Self.additionBit(of: key)
                    return addition.bits[word] & mask != 0
                }
            }
        }
    }

    /// Where `key` stands in an addition's bitmap: its word and the bit within it, from the low bits of its first
    /// word.
    private static func additionBit(of key: Key) -> (word: Int, mask: UInt64) {
        let bit = Int(truncatingIfNeeded: key.a) & (Self.additionBitmapBits - 1)
        return (bit >> 6, 1 << UInt64(bit & 63))
    }
}

extension IdentityIndex.Key {
    /// The key of `pseudonym` as an identifier of `kind`, or, without a kind, as a suppressed pseudonym.
    ///
    /// The kind is folded into the first word: the same pseudonym under two kinds gives two keys, and two
    /// different pseudonyms, differing in 256 random bits, never meet.
    init(_ pseudonym: Pseudonym, kind: IdentifierKind? = nil) {
        self = pseudonym.bytes.withUnsafeBytes { Self(bytes: $0, kind: kind) }
    }

    /// The key of the 32 bytes of a pseudonym, read as four big-endian words.
    init(bytes: UnsafeRawBufferPointer, kind: IdentifierKind?) {
        precondition(bytes.count == Pseudonym.byteCount, "a pseudonym is 32 bytes")
        func word(_ offset: Int) -> UInt64 {
            UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        self.a = word(0) ^ Self.tag(kind)
        self.b = word(8)
        self.c = word(16)
        self.d = word(24)
    }

    /// The key of the same pseudonym without its kind (`kind` is the one it was made with): as a suppressed
    /// pseudonym.
    func suppressionKey(kind: IdentifierKind) -> Self {
        Self(a: self.a ^ Self.tag(kind), b: self.b, c: self.c, d: self.d)
    }

    private static func tag(_ kind: IdentifierKind?) -> UInt64 {
        switch kind {
        case nil: 0
        case .email?: 0x9E37_79B9_7F4A_7C15
        case .phone?: 0xBF58_476D_1CE4_E5B9
        case .deviceID?: 0x94D0_49BB_1331_11EB
        case .customerID?: 0xD6E8_FEB8_6659_FD93
        }
    }
}
