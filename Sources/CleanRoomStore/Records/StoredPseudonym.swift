public import CleanRoomCore

/// One entry of the pseudonym → subject index: what identity resolution and overlaps look up in memory.
public struct StoredPseudonym: Sendable, Hashable {
    /// The pseudonym.
    public var pseudonym: Pseudonym
    /// The kind of identifier it stands for.
    public var kind: IdentifierKind
    /// The normalization variant (see ``StoredIdentifier/Variant/name``).
    public var variant: String
    /// The person it belongs to.
    public var subject: SubjectID

    /// Creates an index entry.
    public init(pseudonym: Pseudonym, kind: IdentifierKind, variant: String, subject: SubjectID) {
        self.pseudonym = pseudonym
        self.kind = kind
        self.variant = variant
        self.subject = subject
    }
}
