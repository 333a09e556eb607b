public import CleanRoomCore
public import Foundation

/// One entry of the consent ledger: a signal about one purpose, as given at one time.
public struct StoredConsent: Sendable, Hashable {
    /// What the person said about the purpose.
    public struct Signal: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The stored spelling.
        public var rawValue: String

        /// Wraps a stored spelling.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The stored spelling.
        public var description: String { self.rawValue }

        /// Consent given (Art. 6(1)(a)).
        public static let granted = Signal(rawValue: "granted")
        /// Consent withdrawn (Art. 7(3)).
        public static let withdrawn = Signal(rawValue: "withdrawn")
        /// Objection to processing under legitimate interest (Art. 21).
        public static let objection = Signal(rawValue: "objection")
    }

    /// The person.
    public var subject: SubjectID
    /// The purpose name from the policy (`analytics`, `ads_measurement`, …).
    public var purpose: String
    /// The signal.
    public var signal: Signal
    /// When the person gave the signal (millisecond precision).
    public var occurredAt: Date
    /// When CleanRoom recorded it (millisecond precision).
    public var recordedAt: Date
    /// Where it came from (`web`, `preference-center`, a rights request, …), if known.
    public var source: String?

    /// Creates a ledger entry.
    public init(
        subject: SubjectID,
        purpose: String,
        signal: Signal,
        occurredAt: Date,
        recordedAt: Date,
        source: String?
    ) {
        self.subject = subject
        self.purpose = purpose
        self.signal = signal
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.source = source
    }
}

extension StoredConsent {
    /// The order in which signals count, the latest winning: by the time they were given; at the same instant the
    /// more protective last (granted, then withdrawn, then objection), so a tie never opens access; then by when
    /// they were recorded.
    public static func givenBefore(_ first: StoredConsent, _ second: StoredConsent) -> Bool {
        if first.occurredAt != second.occurredAt { return first.occurredAt < second.occurredAt }
        let (firstRank, secondRank) = (first.signal.protection, second.signal.protection)
        if firstRank != secondRank { return firstRank < secondRank }
        return first.recordedAt < second.recordedAt
    }
}

extension StoredConsent.Signal {
    /// How much a signal protects the person: granted 0, withdrawn 1, objection (or anything else) 2.
    var protection: Int {
        switch self {
        case .granted: 0
        case .withdrawn: 1
        default: 2
        }
    }
}
