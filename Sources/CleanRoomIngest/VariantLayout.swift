import CleanRoomCore
import CleanRoomStore

/// How the variants of one identifier kind are laid out in its row (``StoredIdentifier/EncodedVariants``): every
/// rule of the kind, in the order of their names, with the names checked and joined once rather than for every
/// identifier ingested.
struct VariantLayout: Sendable {
    /// The kind's rules, sorted by name as the encoding sorts them.
    private let rules: [NormalizationRule]
    /// The names encoded, with placeholder pseudonyms.
    private let template: StoredIdentifier.EncodedVariants

    init(of kind: IdentifierKind) {
        self.rules = NormalizationRule.all(of: kind).sorted { $0.description < $1.description }
        let placeholder = Pseudonym(bytes: [UInt8](repeating: 0, count: Pseudonym.byteCount))!
        do {
            self.template = try StoredIdentifier.EncodedVariants(
                self.rules.map { StoredIdentifier.Variant(name: $0.description, pseudonym: placeholder) })
        } catch {
            preconditionFailure("the normalization rules of \(kind) have distinct names without commas")
        }
    }

    /// The variants of one identifier: `hashes` as ``IdentifierNormalizer/matchHashes(kind:raw:region:)`` gave
    /// them, `pseudonyms` the pseudonym of each of those hashes.
    func encode(_ hashes: [IndexedMatchHash], pseudonyms: [Pseudonym]) -> StoredIdentifier.EncodedVariants {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.rules.count * Pseudonym.byteCount)
        for rule in self.rules {
            guard let index = hashes.firstIndex(where: { $0.rules.contains(rule) }) else {
                preconditionFailure("the match hashes of an identifier cover every rule of its kind")
            }
            bytes += pseudonyms[index].bytes
        }
        do {
            return try self.template.replacingPseudonyms(bytes)
        } catch {
            preconditionFailure("one pseudonym per rule of the kind")
        }
    }

    /// The layout of each kind.
    struct OfEachKind: Sendable {
        private let email = VariantLayout(of: .email)
        private let phone = VariantLayout(of: .phone)
        private let deviceID = VariantLayout(of: .deviceID)
        private let customerID = VariantLayout(of: .customerID)

        subscript(kind: IdentifierKind) -> VariantLayout {
            switch kind {
            case .email: self.email
            case .phone: self.phone
            case .deviceID: self.deviceID
            case .customerID: self.customerID
            }
        }
    }
}
