import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore

/// How the variants of one identifier kind are laid out in its row (``StoredIdentifier/EncodedVariants``): every
/// rule of the kind, in the order of their names, with the names checked and joined once rather than for every
/// identifier ingested.
struct VariantLayout: Sendable {
    private let kind: IdentifierKind
    /// The kind's rules, sorted by name as the encoding sorts them.
    private let rules: [NormalizationRule]
    /// The position of the canonical rule (``IdentifierNormalizer/canonicalRule(of:)``) among `rules`.
    private let canonicalSlot: Int
    /// The names encoded, with placeholder pseudonyms.
    private let template: StoredIdentifier.EncodedVariants

    init(of kind: IdentifierKind) {
        self.kind = kind
        self.rules = NormalizationRule.all(of: kind).sorted { $0.description < $1.description }
        guard let canonicalSlot = self.rules.firstIndex(of: IdentifierNormalizer.canonicalRule(of: kind)) else {
            preconditionFailure("the canonical rule of \(kind) is one of its rules")
        }
        self.canonicalSlot = canonicalSlot
        let placeholder = Pseudonym(bytes: [UInt8](repeating: 0, count: Pseudonym.byteCount))!
        do {
            self.template = try StoredIdentifier.EncodedVariants(
                self.rules.map { StoredIdentifier.Variant(name: $0.description, pseudonym: placeholder) })
        } catch {
            preconditionFailure("the normalization rules of \(kind) have distinct names without commas")
        }
    }

    /// The variants of `raw`, an identifier of the layout's kind normalized by `normalizer` (a national phone
    /// number read in `region`), and the index key of its canonical pseudonym.
    ///
    /// Each rule's pseudonym is written straight into the encoding, with no match hash or pseudonym array on the
    /// way, and a value the rule before gave too is hashed once: the variants of millions of identifiers.
    func encode(
        _ raw: String, region: String?, normalizer: IdentifierNormalizer, matchKey: HMACSHA256.Session
    ) throws(IdentifierError) -> (variants: StoredIdentifier.EncodedVariants, key: IdentityIndex.Key) {
        var pseudonyms = [UInt8](repeating: 0, count: self.rules.count * Pseudonym.byteCount)
        let canonicalKey = pseudonyms.withUnsafeMutableBytes { output in
            Result { () throws(IdentifierError) in
                let visited = try self.writePseudonyms(
                    of: raw, region: region, normalizer: normalizer, matchKey: matchKey, into: output)
                precondition(visited == self.rules.count, "the normalizer visits every rule of the kind once")
                return IdentityIndex.Key(
                    bytes: UnsafeRawBufferPointer(Self.slot(self.canonicalSlot, of: output)), kind: self.kind)
            }
        }
        let key = try canonicalKey.get()
        do {
            return (try self.template.replacingPseudonyms(pseudonyms), key)
        } catch {
            preconditionFailure("one pseudonym per rule of the kind")
        }
    }

    /// Writes the pseudonym of each rule's value into its slot of `output`; returns how many rules were visited.
    private func writePseudonyms(
        of raw: String, region: String?, normalizer: IdentifierNormalizer, matchKey: HMACSHA256.Session,
        into output: UnsafeMutableRawBufferPointer
    ) throws(IdentifierError) -> Int {
        var visited = 0
        var previous: (value: String, slot: Int)?
        try normalizer.forEachVariant(kind: self.kind, raw: raw, region: region) { value, rule in
            guard let slot = self.rules.firstIndex(of: rule) else {
                preconditionFailure("the normalizer visits the rules of the kind")
            }
            if let previous, previous.value == value {
                Self.slot(slot, of: output).copyMemory(from: UnsafeRawBufferPointer(Self.slot(previous.slot, of: output)))
            } else {
                MatchHash.writePseudonym(ofNormalized: value, using: matchKey, into: Self.slot(slot, of: output))
                previous = (value, slot)
            }
            visited += 1
        }
        return visited
    }

    /// The 32 bytes of the pseudonym in slot `slot` of `pseudonyms`.
    private static func slot(_ slot: Int, of pseudonyms: UnsafeMutableRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: pseudonyms[(slot * Pseudonym.byteCount)..<((slot + 1) * Pseudonym.byteCount)])
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
