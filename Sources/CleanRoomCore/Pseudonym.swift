/// The stored stand-in for an identifier: HMAC-SHA256 under the owner's match key over a match hash.
///
/// A pseudonym is never printed: its description is redacted so it cannot reach a log line or an
/// error message by accident (DESIGN.md section 6.7).
public struct Pseudonym: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the HMAC.
    public let bytes: [UInt8]

    /// Wraps 32 HMAC bytes; returns `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    public var description: String { "Pseudonym(redacted)" }
}

/// The internal id of one person in the store. Never released in any output.
public struct SubjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The row id of the subject.
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public static func < (lhs: SubjectID, rhs: SubjectID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The bytes a subject's data key is bound to when wrapped (`subject:` and the id, 8 bytes big-endian),
    /// so a wrapped key copied onto another subject's row does not unwrap.
    public var dataKeyContext: [UInt8] {
        Array("subject:".utf8) + withUnsafeBytes(of: self.rawValue.bigEndian) { Array($0) }
    }

    public var description: String { "SubjectID(redacted)" }
}
