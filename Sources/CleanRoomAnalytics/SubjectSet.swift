/// A set of people as a bitmap over the dense row numbers of a ``CohortIndex`` (0 ..< capacity).
///
/// One bit per row: a million people take 125 KiB, and intersection, union, difference and counting run a
/// machine word (64 people) at a time — the set algebra every filter, purpose binding and guard is made of.
public struct SubjectSet: Sendable, Hashable {
    private var words: [UInt64]
    /// The number of rows the set can hold (row numbers `0 ..< capacity`).
    public private(set) var capacity: Int

    /// An empty set over rows `0 ..< capacity`.
    public init(capacity: Int) {
        precondition(capacity >= 0, "a capacity is not negative")
        self.capacity = capacity
        self.words = Array(repeating: 0, count: (capacity + 63) / 64)
    }

    /// The set of every row in `0 ..< capacity`.
    public static func all(capacity: Int) -> SubjectSet {
        var set = SubjectSet(capacity: capacity)
        set.words = Array(repeating: ~0, count: set.words.count)
        set.clearTail()
        return set
    }

    /// Whether `row` is in the set.
    public func contains(_ row: Int) -> Bool {
        row >= 0 && row < self.capacity && self.words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    /// Adds `row` (which must be below the capacity).
    public mutating func insert(_ row: Int) {
        precondition(row >= 0 && row < self.capacity, "row \(row) is outside 0..<\(self.capacity)")
        self.words[row >> 6] |= 1 << UInt64(row & 63)
    }

    /// Removes `row`, if present.
    public mutating func remove(_ row: Int) {
        guard row >= 0 && row < self.capacity else { return }
        self.words[row >> 6] &= ~(1 << UInt64(row & 63))
    }

    /// Grows the capacity to `capacity` rows (never shrinks); the new rows are not members.
    public mutating func grow(to capacity: Int) {
        guard capacity > self.capacity else { return }
        self.capacity = capacity
        let needed = (capacity + 63) / 64
        if needed > self.words.count {
            self.words += Array(repeating: 0, count: needed - self.words.count)
        }
    }

    /// The number of members.
    public var count: Int {
        self.words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Whether the set has no member.
    public var isEmpty: Bool {
        self.words.allSatisfy { $0 == 0 }
    }

    /// Keeps only the members also in `other`.
    public mutating func formIntersection(_ other: SubjectSet) {
        self.combine(other) { $0 & $1 }
    }

    /// Adds the members of `other`.
    public mutating func formUnion(_ other: SubjectSet) {
        self.combine(other) { $0 | $1 }
    }

    /// Removes the members of `other`.
    public mutating func subtract(_ other: SubjectSet) {
        self.combine(other) { $0 & ~$1 }
    }

    /// The members also in `other`.
    public func intersection(_ other: SubjectSet) -> SubjectSet {
        var result = self
        result.formIntersection(other)
        return result
    }

    /// The members of either set.
    public func union(_ other: SubjectSet) -> SubjectSet {
        var result = self
        result.formUnion(other)
        return result
    }

    /// The members not in `other`.
    public func subtracting(_ other: SubjectSet) -> SubjectSet {
        var result = self
        result.subtract(other)
        return result
    }

    /// The number of rows in exactly one of the two sets, counted without building the difference.
    public func symmetricDifferenceCount(_ other: SubjectSet) -> Int {
        var total = 0
        let shared = min(self.words.count, other.words.count)
        for index in 0..<shared {
            total += (self.words[index] ^ other.words[index]).nonzeroBitCount
        }
        for word in self.words[shared...] { total += word.nonzeroBitCount }
        for word in other.words[shared...] { total += word.nonzeroBitCount }
        return total
    }

    /// Calls `body` with each member, ascending.
    public func forEach(_ body: (Int) throws -> Void) rethrows {
        try self.forEach(inPart: 0, of: 1, body)
    }

    /// Calls `body` with each member of part `part` of `parts` (rows split into that many runs of whole machine
    /// words), ascending: the parts together visit every member once, so threads can share a scan.
    public func forEach(inPart part: Int, of parts: Int, _ body: (Int) throws -> Void) rethrows {
        let perPart = (self.words.count + parts - 1) / max(parts, 1)
        let range = min(part * perPart, self.words.count)..<min((part + 1) * perPart, self.words.count)
        for index in range {
            var remaining = self.words[index]
            while remaining != 0 {
                try body(index << 6 | remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }

    /// The members, ascending.
    public var rows: [Int] {
        var rows: [Int] = []
        rows.reserveCapacity(self.count)
        self.forEach { rows.append($0) }
        return rows
    }

    /// Applies `operation` word by word; a shorter `other` counts as zeros beyond its end.
    private mutating func combine(_ other: SubjectSet, _ operation: (UInt64, UInt64) -> UInt64) {
        if other.capacity > self.capacity { self.grow(to: other.capacity) }
        self.words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices {
                    mine[index] = operation(mine[index], index < theirs.count ? theirs[index] : 0)
                }
            }
        }
    }

    /// Clears the bits past the capacity in the last word, so counts and equality see only real rows.
    private mutating func clearTail() {
        let used = self.capacity & 63
        if used != 0, let last = self.words.indices.last {
            self.words[last] &= (1 << UInt64(used)) - 1
        }
    }
}
