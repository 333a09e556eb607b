public import Foundation

/// A partner's uploaded audience as the store describes it: who owns it, when it was made and expires, and how many
/// distinct match hashes it holds. Its pseudonyms are read apart (``AudienceRepository/pseudonyms(ofAudience:)``):
/// a listing never loads them.
public struct StoredAudience: Sendable, Hashable {
    /// The audience's random, unguessable id.
    public var id: String
    /// The name of the principal who uploaded it; nobody else may see, use or delete it.
    public var owner: String
    /// When it was uploaded.
    public var createdAt: Date
    /// When it expires (the upload time plus the policy's audience retention).
    public var expiresAt: Date
    /// The number of distinct match hashes uploaded (and of pseudonyms stored).
    public var size: Int

    /// Describes an audience.
    public init(id: String, owner: String, createdAt: Date, expiresAt: Date, size: Int) {
        self.id = id
        self.owner = owner
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.size = size
    }
}
