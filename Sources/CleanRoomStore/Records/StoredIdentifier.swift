public import CleanRoomCore
public import Foundation

/// One raw identifier of a subject: its value sealed once with the subject's data key, and the
/// pseudonym of each normalization variant it is indexed under (DESIGN.md section 4).
public struct StoredIdentifier: Sendable, Hashable {
    /// One variant of the identifier and its pseudonym.
    public struct Variant: Sendable, Hashable {
        /// The e-mail profile (`basic`, `google`, …), the phone form (`e164`, `digits`), or `""` for
        /// kinds with a single form.
        public var name: String
        /// HMAC-SHA256 under the match key over the variant's match hash.
        public var pseudonym: Pseudonym

        /// Creates a variant.
        public init(name: String, pseudonym: Pseudonym) {
            self.name = name
            self.pseudonym = pseudonym
        }
    }

    /// The person the identifier belongs to.
    public var subject: SubjectID
    /// The kind of identifier.
    public var kind: IdentifierKind
    /// The raw value, sealed (AES-256-GCM) with the subject's data key.
    public var sealed: [UInt8]
    /// The pseudonyms it is indexed under, one per variant name.
    public var variants: [Variant]
    /// When the store first held it (millisecond precision).
    public var addedAt: Date

    /// Creates an identifier record.
    public init(subject: SubjectID, kind: IdentifierKind, sealed: [UInt8], variants: [Variant], addedAt: Date) {
        self.subject = subject
        self.kind = kind
        self.sealed = sealed
        self.variants = variants
        self.addedAt = addedAt
    }
}
