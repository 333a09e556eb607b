public import CleanRoomCore
public import Foundation

/// One event of a subject (a purchase, a visit) with its items.
///
/// The ``key`` makes ingest idempotent: the store keeps at most one event per subject and key, so the
/// caller derives the key from the event's identity (for example a digest of type, time, amount,
/// currency and items) and a replayed event is not stored twice.
public struct StoredEvent: Sendable, Hashable {
    /// The person.
    public var subject: SubjectID
    /// The event type from the policy schema (`purchase`, …).
    public var type: String
    /// When it happened (millisecond precision).
    public var occurredAt: Date
    /// The amount, if any; finite.
    public var amount: Double?
    /// The ISO 4217 currency of the amount, if any.
    public var currency: String?
    /// The items (SKUs, categories), in the order given; repeats are kept.
    public var items: [String]
    /// The idempotency key of the event within its subject: 1 to 64 bytes.
    public var key: [UInt8]

    /// Creates an event record.
    public init(
        subject: SubjectID,
        type: String,
        occurredAt: Date,
        amount: Double?,
        currency: String?,
        items: [String],
        key: [UInt8]
    ) {
        self.subject = subject
        self.type = type
        self.occurredAt = occurredAt
        self.amount = amount
        self.currency = currency
        self.items = items
        self.key = key
    }
}
