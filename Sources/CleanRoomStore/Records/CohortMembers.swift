public import CleanRoomCore

/// The people a released number was computed over, stored compactly so that an access request can later tell
/// which computations included a person (GDPR Art. 15(1)(c): the recipients and uses of their data).
///
/// Members are subject ids. The stored form is the smaller of two encodings, both exact:
/// - **runs**: the ids sorted, as (gap from the previous run's end, run length) pairs of LEB128 varints — a few
///   bytes per run, best for sparse or clustered cohorts;
/// - **bitmap**: the first id as a varint, then one bit per id from it to the last — `span / 8` bytes, best for
///   dense cohorts such as "everyone who consented to analytics".
public struct CohortMembers: Sendable, Hashable {
    /// The encoded form (first byte: 0 runs, 1 bitmap).
    public let encoded: [UInt8]

    /// Encodes `subjects` (any order; duplicates count once). Subject ids are positive.
    public init(_ subjects: some Sequence<SubjectID>) {
        let ids = Array(Set(subjects.map(\.rawValue))).sorted()
        self.init(ascending: ids, runsSize: Self.runsSize(ids) ?? 0)
    }

    /// Encodes subject ids expected in strictly ascending order, as an index's rows give them; they are sorted
    /// (and duplicates dropped) only when they are not.
    public init(ascending subjects: [SubjectID]) {
        let ids = subjects.lazy.map(\.rawValue)
        guard let runsSize = Self.runsSize(ids) else {
            self.init(subjects)
            return
        }
        self.init(ascending: ids, runsSize: runsSize)
    }

    private init(ascending ids: some RandomAccessCollection<Int64>, runsSize: Int) {
        precondition(ids.first.map { $0 >= 0 } ?? true, "subject ids are not negative")
        // Both sizes are known without building either encoding: build only the smaller.
        if let first = ids.first, let last = ids.last, (last - first) / 8 + 11 < Int64(runsSize) {
            self.encoded = Self.bitmap(ids)
        } else {
            self.encoded = Self.runs(ids)
        }
    }

    /// Wraps a stored encoding, checking that it decodes.
    ///
    /// - Throws: ``StoreError`` `corrupt` for bytes that are not an encoding of this type.
    public init(encoded: [UInt8]) throws {
        self.encoded = encoded
        _ = try self.subjectIDs()
    }

    /// Whether `subject` is a member: a bit test in a bitmap, a walk over whole runs otherwise.
    public func contains(_ subject: SubjectID) throws -> Bool {
        let id = subject.rawValue
        guard let kind = self.encoded.first else { throw Self.corrupt }
        var reader = VarintReader(bytes: self.encoded, position: 1)
        switch kind {
        case 0:
            var next: UInt64 = 0
            while !reader.isAtEnd {
                let (start, end) = try Self.run(after: next, &reader)
                if UInt64(id) < start { return false }
                if UInt64(id) < end { return true }
                next = end
            }
            return false
        case 1:
            let first = Int64(clamping: try reader.read())
            guard id >= first else { return false }
            let offset = id - first
            let index = reader.position + Int(offset / 8)
            return index < self.encoded.count && self.encoded[index] & (1 << UInt8(offset % 8)) != 0
        default:
            throw Self.corrupt
        }
    }

    /// The members, ascending.
    public func subjectIDs() throws -> [SubjectID] {
        var ids: [SubjectID] = []
        try self.forEach { id in
            ids.append(SubjectID(id))
            return true
        }
        return ids
    }

    /// Calls `body` with each member in ascending order while it returns `true`.
    private func forEach(_ body: (Int64) -> Bool) throws {
        guard let kind = self.encoded.first else { throw Self.corrupt }
        var reader = VarintReader(bytes: self.encoded, position: 1)
        switch kind {
        case 0:
            var next: UInt64 = 0
            while !reader.isAtEnd {
                let (start, end) = try Self.run(after: next, &reader)
                for id in start..<end where !body(Int64(id)) { return }
                next = end
            }
        case 1:
            let first = try reader.read()
            guard first <= UInt64(Int64.max) else { throw Self.corrupt }
            for (offset, byte) in self.encoded[reader.position...].enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (1 << bit) != 0 {
                    let (id, overflow) = Int64(first).addingReportingOverflow(Int64(offset * 8 + bit))
                    guard !overflow else { throw Self.corrupt }
                    if !body(id) { return }
                }
            }
        default:
            throw Self.corrupt
        }
    }

    /// The number of members in exactly one of this cohort and `subjects` (ascending), counted in one merge
    /// without decoding into an array; counting stops at `limit`, which is then returned.
    public func symmetricDifferenceCount(withAscending subjects: [SubjectID], limit: Int) throws -> Int {
        var count = 0
        var next = 0
        try self.forEach { id in
            while next < subjects.count && subjects[next].rawValue < id {
                count += 1
                next += 1
            }
            if next < subjects.count && subjects[next].rawValue == id {
                next += 1
            } else {
                count += 1
            }
            return count < limit
        }
        return min(limit, count + (subjects.count - next))
    }

    /// The size of the runs encoding of `ids`, computed without building it; `nil` when they are not strictly
    /// ascending.
    private static func runsSize(_ ids: some RandomAccessCollection<Int64>) -> Int? {
        let varint = { (value: UInt64) in max(1, (64 - value.leadingZeroBitCount + 6) / 7) }
        var size = 1
        let ascending = Self.forEachRun(ids) { gap, length in size += varint(gap) + varint(length) }
        return ascending ? size : nil
    }

    private static func runs(_ ids: some RandomAccessCollection<Int64>) -> [UInt8] {
        var bytes: [UInt8] = [0]
        _ = Self.forEachRun(ids) { gap, length in
            Self.append(gap, to: &bytes)
            Self.append(length, to: &bytes)
        }
        return bytes
    }

    /// Calls `body` with each run of consecutive ids as (gap from the previous run's end, length); `false` (after
    /// the runs up to it) when an id is not greater than the one before.
    private static func forEachRun(
        _ ids: some RandomAccessCollection<Int64>, _ body: (UInt64, UInt64) -> Void
    ) -> Bool {
        var runStart: Int64 = -1
        var previous: Int64 = -1
        var previousEnd: Int64 = 0
        for id in ids {
            if id == previous + 1 && runStart >= 0 {
                previous = id
                continue
            }
            guard id > previous else { return false }
            if runStart >= 0 {
                body(UInt64(runStart - previousEnd), UInt64(previous - runStart + 1))
                previousEnd = previous + 1
            }
            runStart = id
            previous = id
        }
        if runStart >= 0 { body(UInt64(runStart - previousEnd), UInt64(previous - runStart + 1)) }
        return true
    }

    private static func bitmap(_ ids: some RandomAccessCollection<Int64>) -> [UInt8] {
        guard let first = ids.first, let last = ids.last else { return [0] }
        var bytes: [UInt8] = [1]
        Self.append(UInt64(first), to: &bytes)
        let header = bytes.count
        bytes += [UInt8](repeating: 0, count: Int((last - first) / 8 + 1))
        for id in ids {
            let offset = Int(id - first)
            bytes[header + offset / 8] |= 1 << (offset % 8)
        }
        return bytes
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The next run: its first id and the id after its last, read as (gap, length) after the end of the previous
    /// run; `corrupt` for an empty run or one leaving the range of subject ids.
    private static func run(after previousEnd: UInt64, _ reader: inout VarintReader) throws -> (UInt64, UInt64) {
        let (start, startOverflow) = previousEnd.addingReportingOverflow(try reader.read())
        let length = try reader.read()
        let (end, endOverflow) = start.addingReportingOverflow(length)
        guard !startOverflow, !endOverflow, length > 0, end <= UInt64(Int64.max) + 1 else { throw Self.corrupt }
        return (start, end)
    }

    private static let corrupt = StoreError(code: .corrupt, message: "a released cohort's encoding is damaged")

    private struct VarintReader {
        let bytes: [UInt8]
        var position: Int
        var isAtEnd: Bool { self.position >= self.bytes.count }

        mutating func read() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while self.position < self.bytes.count, shift < 63 {
                let byte = self.bytes[self.position]
                self.position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw CohortMembers.corrupt
        }
    }
}
