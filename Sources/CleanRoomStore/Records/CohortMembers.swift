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

    /// Encodes `subjects` (any order; duplicates count once).
    public init(_ subjects: some Sequence<SubjectID>) {
        let ids = Array(Set(subjects.map(\.rawValue))).sorted()
        let runs = Self.runs(ids)
        let bitmap = Self.bitmap(ids)
        self.encoded = runs.count <= bitmap.count ? runs : bitmap
    }

    /// Wraps a stored encoding, checking that it decodes.
    ///
    /// - Throws: ``StoreError`` `corrupt` for bytes that are not an encoding of this type.
    public init(encoded: [UInt8]) throws {
        self.encoded = encoded
        _ = try self.subjectIDs()
    }

    /// Whether `subject` is a member, without decoding the rest.
    public func contains(_ subject: SubjectID) throws -> Bool {
        var found = false
        try self.forEach { id in
            if id == subject.rawValue { found = true }
            return id < subject.rawValue
        }
        return found
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
            var next: Int64 = 0
            while !reader.isAtEnd {
                let start = next + Int64(try reader.read())
                let length = Int64(try reader.read())
                guard length > 0 else { throw Self.corrupt }
                for id in start..<start + length where !body(id) { return }
                next = start + length
            }
        case 1:
            let first = Int64(try reader.read())
            for (offset, byte) in self.encoded[reader.position...].enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (1 << bit) != 0 {
                    if !body(first + Int64(offset * 8 + bit)) { return }
                }
            }
        default:
            throw Self.corrupt
        }
    }

    private static func runs(_ ids: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = [0]
        var index = 0
        var previousEnd: Int64 = 0
        while index < ids.count {
            var end = index + 1
            while end < ids.count && ids[end] == ids[end - 1] + 1 { end += 1 }
            Self.append(UInt64(ids[index] - previousEnd), to: &bytes)
            Self.append(UInt64(end - index), to: &bytes)
            previousEnd = ids[end - 1] + 1
            index = end
        }
        return bytes
    }

    private static func bitmap(_ ids: [Int64]) -> [UInt8] {
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
