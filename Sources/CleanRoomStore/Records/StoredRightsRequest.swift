public import CleanRoomCore
public import Foundation

/// A GDPR rights request (DESIGN.md section 7) with its deadline and, once handled, its outcome.
public struct StoredRightsRequest: Sendable, Hashable {
    /// The request number, shown to operators; it says nothing about the person.
    public struct ID: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The row id.
        public let rawValue: Int64

        /// Wraps a request number.
        public init(_ rawValue: Int64) { self.rawValue = rawValue }

        /// Orders requests by number, that is in the order received.
        public static func < (lhs: ID, rhs: ID) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The number in decimal.
        public var description: String { String(self.rawValue) }
    }

    /// What the person asked for.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The stored spelling.
        public var rawValue: String

        /// Wraps a stored spelling.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The stored spelling.
        public var description: String { self.rawValue }

        /// Access to their data (Art. 15).
        public static let access = Kind(rawValue: "access")
        /// A machine-readable copy of their data (Art. 20).
        public static let portability = Kind(rawValue: "portability")
        /// Erasure (Art. 17).
        public static let erasure = Kind(rawValue: "erasure")
        /// Withdrawal of consent (Art. 7(3)).
        public static let withdrawal = Kind(rawValue: "withdrawal")
        /// Objection (Art. 21).
        public static let objection = Kind(rawValue: "objection")
    }

    /// The request number.
    public var id: ID
    /// What was asked.
    public var kind: Kind
    /// The person, while the store holds them: `nil` when nobody matched or after their erasure.
    public var subject: SubjectID?
    /// When the request arrived (millisecond precision).
    public var receivedAt: Date
    /// When it must be answered.
    public var deadline: Date
    /// When it was answered, once it was.
    public var completedAt: Date?
    /// How it ended (`completed`, `no data held`, …), once it did.
    public var outcome: String?

    /// Creates a request record.
    public init(
        id: ID,
        kind: Kind,
        subject: SubjectID?,
        receivedAt: Date,
        deadline: Date,
        completedAt: Date?,
        outcome: String?
    ) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.receivedAt = receivedAt
        self.deadline = deadline
        self.completedAt = completedAt
        self.outcome = outcome
    }
}
