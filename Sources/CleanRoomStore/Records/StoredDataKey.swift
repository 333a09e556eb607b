public import CleanRoomCore

/// A subject's data key, wrapped by a version of the key-encryption key.
public struct StoredDataKey: Sendable, Hashable {
    /// The person whose identifiers the key seals.
    public var subject: SubjectID
    /// The version of the key-encryption key that wrapped it.
    public var kekVersion: Int
    /// The wrapped key bytes.
    public var wrapped: [UInt8]

    /// Creates a data key record.
    public init(subject: SubjectID, kekVersion: Int, wrapped: [UInt8]) {
        self.subject = subject
        self.kekVersion = kekVersion
        self.wrapped = wrapped
    }
}
