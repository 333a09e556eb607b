public import CleanRoomCore
public import Foundation

/// What a partner may see of one of its audiences: never a hash or a pseudonym, only the id, the times and the
/// number of distinct match hashes uploaded.
public struct AudienceSummary: Sendable, Equatable {
    /// The audience's id, to name it in an overlap or a deletion.
    public var id: String
    /// When it was uploaded.
    public var createdAt: Date
    /// When it expires and is deleted (policy `audiences.retention` after the upload).
    public var expiresAt: Date
    /// The number of distinct match hashes uploaded.
    public var hashes: Int

    /// A summary.
    public init(id: String, createdAt: Date, expiresAt: Date, hashes: Int) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.hashes = hashes
    }

    /// The summary as JSON: `{"id": …, "created_at": …, "expires_at": …, "hashes": N}`, times in RFC 3339.
    public var json: CanonicalJSON {
        .object([
            "id": .string(self.id),
            "created_at": .string(self.createdAt.formatted(.iso8601)),
            "expires_at": .string(self.expiresAt.formatted(.iso8601)),
            "hashes": .integer(self.hashes),
        ])
    }
}
