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
