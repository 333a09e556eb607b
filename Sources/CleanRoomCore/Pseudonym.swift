/// The stored stand-in for an identifier: HMAC-SHA256 under the owner's match key over a match hash.
///
/// A pseudonym is never printed: its description and debug description are redacted and its mirror has no
/// children, so it cannot reach a log line, an error message or a `dump` by accident (DESIGN.md section 6.7).
public struct Pseudonym: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The length of a pseudonym: 32 bytes.
    public static let byteCount = 32

    /// The 32 bytes of the HMAC.
    public let bytes: [UInt8]

    /// Wraps 32 HMAC bytes; returns `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// `Pseudonym(redacted)`: a pseudonym is never printed.
    public var description: String { "Pseudonym(redacted)" }

    /// `Pseudonym(redacted)`, as ``description``.
    public var debugDescription: String { self.description }

    /// A mirror without children, so `dump` and debuggers show no byte of the pseudonym.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// The internal id of one person in the store. Never released in any output.
///
/// Its description and debug description are redacted and its mirror has no children, so the id cannot reach a
/// log line, an error message or a `dump` by accident (DESIGN.md section 6.7).
public struct SubjectID: Hashable, Sendable, Comparable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The row id of the subject.
    public let rawValue: Int64

    /// Wraps the row id of a subject.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// Orders subjects by row id.
    public static func < (lhs: SubjectID, rhs: SubjectID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The bytes a subject's data key is bound to when wrapped (`subject:` and the id, 8 bytes big-endian),
    /// so a wrapped key copied onto another subject's row does not unwrap.
    public var dataKeyContext: [UInt8] {
        // One allocation, with room for what an identifier's seal appends (`|customer_id`).
        var context: [UInt8] = []
        context.reserveCapacity(32)
        context.append(contentsOf: "subject:".utf8)
        withUnsafeBytes(of: self.rawValue.bigEndian) { context.append(contentsOf: $0) }
        return context
    }

    /// `SubjectID(redacted)`: a subject id is never printed.
    public var description: String { "SubjectID(redacted)" }

    /// `SubjectID(redacted)`, as ``description``.
    public var debugDescription: String { self.description }

    /// A mirror without children, so `dump` and debuggers show no digit of the id.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
