import CleanRoomCore

/// The map from identifier keys to subjects behind ``IdentityIndex``: an open-addressing hash table with linear
/// probing, whose slot is the low bits of a key's first word.
///
/// A key is a pseudonym, an HMAC output, so its first word is already uniformly random: the table uses it as its
/// hash rather than feeding the key through `Hasher` (whose seeding and finalization were most of a lookup in a
/// `Dictionary`), and a key and its subject share one slot, so a lookup costs one cache miss in a table of
/// millions. Removal shifts the following run back instead of leaving tombstones, so a long ingest interleaved
/// with erasures never degrades the probes.
struct IdentityTable {
    private struct Slot {
        var key: IdentityIndex.Key
        /// The subject's row id, ``vacant`` for an empty slot.
        var subject: Int64
    }

    /// The row id no subject has (SQLite gives rows positive ids): the mark of an empty slot.
    private static let vacant = Int64.min
    /// The most slots a table fills before it doubles, as a fraction: 3/4 keeps probes short.
    private static let maximumLoad = (numerator: 3, denominator: 4)

    private var slots: [Slot]
    private let mask: Int
    /// The number of keys held.
    private(set) var count = 0

    /// Whether the table holds no key.
    var isEmpty: Bool { self.count == 0 }

    /// An empty table with room for `capacity` keys before it grows.
    init(capacity: Int = 0) {
        var slotCount = 16
        while slotCount * Self.maximumLoad.numerator / Self.maximumLoad.denominator < capacity {
            slotCount *= 2
        }
        let empty = Slot(key: IdentityIndex.Key(a: 0, b: 0, c: 0, d: 0), subject: Self.vacant)
        self.slots = Array(repeating: empty, count: slotCount)
        self.mask = slotCount - 1
    }

    /// The subject of `key`; setting `nil` removes the key.
    subscript(key: IdentityIndex.Key) -> SubjectID? {
        get {
            self.slots.withUnsafeBufferPointer { slots in
                var slot = Int(truncatingIfNeeded: key.a) & self.mask
                while slots[slot].subject != Self.vacant {
                    if slots[slot].key == key { return SubjectID(slots[slot].subject) }
                    slot = (slot + 1) & self.mask
                }
                return nil
            }
        }
        set {
            if let newValue {
                self.insert(key, newValue)
            } else {
                self.remove(key)
            }
        }
    }

    private mutating func insert(_ key: IdentityIndex.Key, _ subject: SubjectID) {
        precondition(subject.rawValue != Self.vacant, "a subject's row id is never Int64.min")
        if (self.count + 1) * Self.maximumLoad.denominator > self.slots.count * Self.maximumLoad.numerator {
            self.grow()
        }
        let mask = self.mask
        let added = self.slots.withUnsafeMutableBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: key.a) & mask
            while slots[slot].subject != Self.vacant {
                if slots[slot].key == key {
                    slots[slot].subject = subject.rawValue
                    return false
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = Slot(key: key, subject: subject.rawValue)
            return true
        }
        if added { self.count += 1 }
    }

    /// Removes `key`, moving back each key of the run after it that may take the freed slot (Knuth's algorithm R),
    /// so that every key stays reachable from its home slot without a tombstone.
    private mutating func remove(_ key: IdentityIndex.Key) {
        let mask = self.mask
        let removed = self.slots.withUnsafeMutableBufferPointer { slots in
            var hole = Int(truncatingIfNeeded: key.a) & mask
            while slots[hole].key != key {
                guard slots[hole].subject != Self.vacant else { return false }
                hole = (hole + 1) & mask
            }
            guard slots[hole].subject != Self.vacant else { return false }
            var next = (hole + 1) & mask
            while slots[next].subject != Self.vacant {
                let home = Int(truncatingIfNeeded: slots[next].key.a) & mask
                // The key at `next` may move to `hole` unless its home lies cyclically in (hole, next].
                if (next - home) & mask >= (next - hole) & mask {
                    slots[hole] = slots[next]
                    hole = next
                }
                next = (next + 1) & mask
            }
            slots[hole].subject = Self.vacant
            return true
        }
        if removed { self.count -= 1 }
    }

    private mutating func grow() {
        var larger = IdentityTable(capacity: self.slots.count)
        for slot in self.slots where slot.subject != Self.vacant {
            larger.insert(slot.key, SubjectID(slot.subject))
        }
        self = larger
    }
}
