public import CleanRoomCore
public import Foundation

/// One attribute of a subject (`country` = `DE`), with the time of the value.
public struct StoredAttribute: Sendable, Hashable {
    /// The person.
    public var subject: SubjectID
    /// The attribute name from the policy schema.
    public var name: String
    /// The value.
    public var value: String
    /// When the value was given (millisecond precision); a value never replaces a newer one.
    public var updatedAt: Date

    /// Creates an attribute record.
    public init(subject: SubjectID, name: String, value: String, updatedAt: Date) {
        self.subject = subject
        self.name = name
        self.value = value
        self.updatedAt = updatedAt
    }
}

/// All attributes of one subject in the form the store keeps them (one row of `subject_attributes`), so that the
/// encoding can be done anywhere, e.g. on a worker thread, and the write is a single insert
/// (``AttributeRepository/insert(_:of:)``).
public struct AttributeRow: Sendable {
    /// The row's JSON text: name → `[value, updated milliseconds]`, keys sorted.
    let text: String

    /// Whether the row holds no attribute (nothing to write).
    public let isEmpty: Bool

    /// Encodes `attributes`, all given at `time`.
    public init(_ attributes: [String: String], at time: Date) {
        let milliseconds = time.storedMilliseconds
        self.init(attributes.mapValues { ($0, milliseconds) })
    }

    init(_ values: [String: (value: String, updatedAt: Int64)]) {
        self.text = CanonicalJSON.object(values.mapValues { .array([.string($0.value), .integer(Int($0.updatedAt))]) })
            .text
        self.isEmpty = values.isEmpty
    }
}
