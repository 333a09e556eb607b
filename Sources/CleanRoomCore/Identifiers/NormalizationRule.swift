/// One way of normalizing an identifier: the kind and, for e-mail and phone, the profile or form.
public enum NormalizationRule: Hashable, Sendable, CustomStringConvertible {
    /// An e-mail address under a profile.
    case email(EmailProfile)
    /// A phone number in a form.
    case phone(PhoneForm)
    /// A device id, lowercase with hyphens.
    case deviceID
    /// A customer id, trimmed.
    case customerID

    /// The identifier kind the rule normalizes.
    public var kind: IdentifierKind {
        switch self {
        case .email: .email
        case .phone: .phone
        case .deviceID: .deviceID
        case .customerID: .customerID
        }
    }

    /// Every rule of `kind`, in declaration order: the rules ``IdentifierNormalizer/matchHashes(kind:raw:region:)``
    /// gives a hash for.
    public static func all(of kind: IdentifierKind) -> [NormalizationRule] {
        switch kind {
        case .email: EmailProfile.allCases.map(NormalizationRule.email)
        case .phone: PhoneForm.allCases.map(NormalizationRule.phone)
        case .deviceID: [.deviceID]
        case .customerID: [.customerID]
        }
    }

    /// `email/google`, `phone/e164`, `device_id`, `customer_id`: how summaries and reports name the rule.
    public var description: String {
        switch self {
        case .email(let profile): "email/\(profile.rawValue)"
        case .phone(let form): "phone/\(form.rawValue)"
        case .deviceID, .customerID: self.kind.rawValue
        }
    }
}

/// A match hash an identifier is indexed under, with the rules that give it.
public struct IndexedMatchHash: Hashable, Sendable {
    /// The hash.
    public let hash: MatchHash
    /// Every rule whose normalized value has this hash, in declaration order (profiles and forms as in their
    /// `allCases`). An ordinary e-mail gives one hash for all four profiles.
    public let rules: [NormalizationRule]
    /// Whether identity resolution joins subjects on this hash: the ``EmailProfile/google`` profile of an
    /// e-mail, the ``PhoneForm/e164`` form of a phone number, the only hash of the other kinds.
    public let isCanonical: Bool
}
