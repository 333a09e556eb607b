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

extension StoredIdentifier {
    /// Variants as an identifiers row stores them: the names sorted and joined by commas, and their pseudonyms end
    /// to end in the same order.
    ///
    /// Encoding and checking them is a third of adding an identifier; an ingest does it for a batch's rows in
    /// parallel, before the batch's transaction, with ``IdentifierRepository/add(_:variants:)``.
    public struct EncodedVariants: Sendable, Hashable {
        /// The names, sorted, joined by commas.
        public let names: String
        /// The pseudonyms, 32 bytes each, in the order of the names.
        public let pseudonyms: [UInt8]

        /// Encodes `variants`.
        ///
        /// - Throws: ``StoreError`` `invalidArgument` without variants, with a variant name twice, or with a
        ///   variant name holding a comma.
        public init(_ variants: [Variant]) throws(StoreError) {
            guard !variants.isEmpty else {
                throw StoreError(code: .invalidArgument, message: "an identifier needs at least one variant pseudonym")
            }
            guard !variants.contains(where: { $0.name.utf8.contains(UInt8(ascii: ",")) }) else {
                throw StoreError(code: .invalidArgument, message: "a variant name cannot hold a comma")
            }
            let sorted = variants.sorted { $0.name < $1.name }
            guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0.name != $1.name }) else {
                throw StoreError(code: .invalidArgument, message: "an identifier lists the same variant name twice")
            }
            self.names = sorted.map(\.name).joined(separator: ",")
            var pseudonyms: [UInt8] = []
            pseudonyms.reserveCapacity(sorted.count * Pseudonym.byteCount)
            for variant in sorted {
                pseudonyms += variant.pseudonym.bytes
            }
            self.pseudonyms = pseudonyms
        }

        private init(names: String, pseudonyms: [UInt8]) {
            self.names = names
            self.pseudonyms = pseudonyms
        }

        /// The same names with other pseudonyms, 32 bytes each in the order of the names: for encoding many
        /// identifiers with the same variant names, whose names are then checked and joined once.
        ///
        /// - Throws: ``StoreError`` `invalidArgument` when `pseudonyms` is not one pseudonym per name.
        public func replacingPseudonyms(_ pseudonyms: [UInt8]) throws(StoreError) -> EncodedVariants {
            guard pseudonyms.count == self.pseudonyms.count else {
                throw StoreError(code: .invalidArgument, message: "an identifier needs one pseudonym per variant name")
            }
            return EncodedVariants(names: self.names, pseudonyms: pseudonyms)
        }
    }
}
