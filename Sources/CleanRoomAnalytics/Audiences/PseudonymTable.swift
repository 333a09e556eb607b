/// The pseudonym → subject lookup of a ``MatchIndex``, in 12 bytes per pseudonym.
///
/// - The **base** is two parallel arrays sorted by key: the first 8 bytes of each pseudonym (big-endian, so key
///   order is byte order) and its subject's id in 32 bits. A pseudonym is an HMAC output, uniform and unsteerable
///   by anyone without the match key, so 64 bits tell pseudonyms apart: among 10⁷ stored and 10⁷ uploaded, a false
///   match has a chance near 10⁻⁵.
/// - People changed since the base was built live in a small **delta**: their current keys, which replace whatever
///   the base holds for them (none for an erased person). Once the delta grows past an eighth of the base, it is
///   merged in.
struct PseudonymTable: Sendable {
    private var keys: [UInt64] = []
    private var owners: [UInt32] = []
    /// People changed since the base was built, with their current keys.
    private var changed: [UInt32: [UInt64]] = [:]
    /// The keys of ``changed``, to their person.
    private var changedKeys: [UInt64: UInt32] = [:]

    /// The delta is merged once it holds more entries than this and than an eighth of the base.
    private let mergeFloor: Int

    /// A table of `keys[i]` belonging to `owners[i]`, the keys ascending (see ``sort(_:carrying:)``), whose delta is
    /// merged once it outgrows `mergeFloor` entries and an eighth of the base.
    init(ascendingKeys keys: [UInt64], owners: [UInt32], mergeFloor: Int = 1 << 16) {
        precondition(keys.count == owners.count, "every key has its owner")
        self.keys = keys
        self.owners = owners
        self.mergeFloor = mergeFloor
    }

    /// The lookup key of the pseudonym at `offset` of `bytes`: its first 8 bytes, big-endian, so that keys sort as
    /// the pseudonyms do.
    static func key(_ bytes: [UInt8], at offset: Int = 0) -> UInt64 {
        precondition(offset >= 0 && offset + 8 <= bytes.count, "a key is read from 8 bytes")
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian }
    }

    /// The number of entries held: the pseudonyms, and until the next merge the old ones of people changed since.
    var count: Int {
        self.keys.count + self.deltaCount
    }

    /// The keys held in ``changed``.
    private var deltaCount = 0

    /// Makes `keys` the pseudonyms of `subject` (none: the person is gone).
    mutating func replace(_ subject: UInt32, keys: [UInt64]) {
        let keys = Array(Set(keys))
        if let old = self.changed[subject] {
            for key in old where self.changedKeys[key] == subject {
                self.changedKeys[key] = nil
            }
            self.deltaCount -= old.count
        }
        self.changed[subject] = keys
        self.deltaCount += keys.count
        for key in keys {
            self.changedKeys[key] = subject
        }
        if self.deltaCount + self.changed.count > max(self.mergeFloor, self.keys.count / 8) {
            self.mergeDelta()
        }
    }

    /// Calls `body` with the subject of every key of `ascending` found: a person once per matching key.
    func forEachSubject(matching ascending: [UInt64], _ body: (UInt32) -> Void) {
        let changed = self.changed
        let changedKeys = self.changedKeys
        self.keys.withUnsafeBufferPointer { keys in
            self.owners.withUnsafeBufferPointer { owners in
                var position = 0
                for key in ascending {
                    if !changedKeys.isEmpty, let subject = changedKeys[key] { body(subject) }
                    position = Self.lowerBound(of: key, in: keys, from: position)
                    var entry = position
                    while entry < keys.count && keys[entry] == key {
                        if changed.isEmpty || changed[owners[entry]] == nil { body(owners[entry]) }
                        entry += 1
                    }
                }
            }
        }
    }

    /// The first position at or after `start` whose key is not below `key`: galloping from `start`, then a binary
    /// search, so looking up ascending keys costs O(log distance) each and a long run of them one pass.
    private static func lowerBound(of key: UInt64, in keys: UnsafeBufferPointer<UInt64>, from start: Int) -> Int {
        var low = start
        var high = start
        var step = 1
        while high < keys.count && keys[high] < key {
            low = high + 1
            high = low + step
            step *= 2
        }
        high = min(high, keys.count)
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Rebuilds the base without the changed people's old entries and with their current ones.
    private mutating func mergeDelta() {
        var deltaKeys: [UInt64] = []
        var deltaOwners: [UInt32] = []
        for (subject, keys) in self.changed {
            deltaKeys += keys
            deltaOwners += repeatElement(subject, count: keys.count)
        }
        Self.sort(&deltaKeys, carrying: &deltaOwners)
        var keys: [UInt64] = []
        var owners: [UInt32] = []
        let capacity = self.keys.count + deltaKeys.count
        keys.reserveCapacity(capacity)
        owners.reserveCapacity(capacity)
        var delta = 0
        for entry in self.keys.indices where self.changed[self.owners[entry]] == nil {
            while delta < deltaKeys.count && deltaKeys[delta] < self.keys[entry] {
                keys.append(deltaKeys[delta])
                owners.append(deltaOwners[delta])
                delta += 1
            }
            keys.append(self.keys[entry])
            owners.append(self.owners[entry])
        }
        keys += deltaKeys[delta...]
        owners += deltaOwners[delta...]
        self = PseudonymTable(ascendingKeys: keys, owners: owners, mergeFloor: self.mergeFloor)
    }

    /// Sorts the entries by key (see ``sort(_:carrying:)``) and drops repeated ones: the e-mail profiles of an address
    /// outside gmail.com are all one string, so one pseudonym; at gmail.com `google` and `uid2` are.
    static func sortUnique(_ keys: inout [UInt64], carrying owners: inout [UInt32]) {
        Self.sort(&keys, carrying: &owners)
        // Within a run of equal keys (a person's repeated pseudonym, seldom two people's), order by owner.
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end] == keys[start] { end += 1 }
            if end - start > 1 { owners[start..<end].sort() }
            start = end
        }
        var kept = 0
        for entry in keys.indices {
            if kept > 0 && keys[kept - 1] == keys[entry] && owners[kept - 1] == owners[entry] { continue }
            keys[kept] = keys[entry]
            owners[kept] = owners[entry]
            kept += 1
        }
        keys.removeLast(keys.count - kept)
        owners.removeLast(owners.count - kept)
    }

    /// Sorts `keys` ascending in place, moving `owners` along: a quicksort with the median of three as pivot (keys are
    /// HMAC outputs nobody can choose, so no input drives it quadratic) and an insertion sort for short ranges. In
    /// place, so building the table needs no second copy.
    static func sort(_ keys: inout [UInt64], carrying owners: inout [UInt32]) {
        keys.withUnsafeMutableBufferPointer { keys in
            owners.withUnsafeMutableBufferPointer { owners in
                var ranges = [(0, keys.count)]
                while let (start, end) = ranges.popLast() {
                    if end - start <= 16 {
                        for index in start + 1 ..< max(start + 1, end) {
                            var place = index
                            while place > start && keys[place - 1] > keys[place] {
                                keys.swapAt(place - 1, place)
                                owners.swapAt(place - 1, place)
                                place -= 1
                            }
                        }
                        continue
                    }
                    let middle = start + (end - start) / 2
                    let pivot = Self.median(keys[start], keys[middle], keys[end - 1])
                    // Hoare partition: [start, split) ≤ pivot ≤ [split, end), both parts non-empty (the pivot is
                    // the median of three of the range's keys, so neither part can take them all).
                    var low = start - 1
                    var high = end
                    while true {
                        repeat { low += 1 } while keys[low] < pivot
                        repeat { high -= 1 } while keys[high] > pivot
                        if low >= high { break }
                        keys.swapAt(low, high)
                        owners.swapAt(low, high)
                    }
                    let split = high + 1
                    // The smaller part first, so the stack of ranges stays logarithmic.
                    if split - start < end - split {
                        ranges.append((split, end))
                        ranges.append((start, split))
                    } else {
                        ranges.append((start, split))
                        ranges.append((split, end))
                    }
                }
            }
        }
    }

    private static func median(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        max(min(a, b), min(max(a, b), c))
    }
}
