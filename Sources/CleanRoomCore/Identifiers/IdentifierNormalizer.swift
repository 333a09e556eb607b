/// The one entry point from a raw identifier to its normalized value and match hashes (DESIGN.md section 4).
///
/// It holds the default region for national phone numbers (from the policy); a record's own country, passed
/// per call, takes precedence.
public struct IdentifierNormalizer: Sendable {
    /// The region national phone numbers are read in when the record gives none: uppercased, `UK` read as `GB`
    /// (see ``PhoneNormalizer/regionAliases``).
    public let defaultRegion: String?

    /// Creates a normalizer; throws ``IdentifierError/Code/unknownRegion`` when libphonenumber does not know
    /// `defaultRegion`, so that a wrong policy fails at load and not on every phone number.
    public init(defaultRegion: String? = nil) throws(IdentifierError) {
        let code = PhoneNormalizer.regionCode(defaultRegion)
        if let code, !PhoneNormalizer.isKnownRegion(code) {
            throw IdentifierError(
                .unknownRegion, .phone,
                "the default region \(code) is not an ISO 3166-1 alpha-2 code libphonenumber knows (e.g. DE, GB, US)")
        }
        self.defaultRegion = code
    }

    /// Returns `raw` normalized as `kind`, under `profile` for an e-mail and in `form` for a phone number (each
    /// ignored otherwise), reading a national phone number in `region`, else in the default region.
    public func normalize(
        kind: IdentifierKind,
        raw: String,
        profile: EmailProfile = .google,
        form: PhoneForm = .e164,
        region: String? = nil
    ) throws(IdentifierError) -> String {
        let rule: NormalizationRule = switch kind {
        case .email: .email(profile)
        case .phone: .phone(form)
        case .deviceID: .deviceID
        case .customerID: .customerID
        }
        return try self.normalize(raw, under: rule, region: region)
    }

    /// Returns `raw` normalized under `rule`, as an identifier of the rule's kind, reading a national phone number
    /// in `region`, else in the default region.
    public func normalize(_ raw: String, under rule: NormalizationRule, region: String? = nil) throws(IdentifierError)
        -> String
    {
        switch rule {
        case .email(let profile): try EmailNormalizer.normalize(raw, profile: profile)
        case .phone(let form): try PhoneNormalizer.normalize(raw, region: self.region(region), form: form)
        case .deviceID: try DeviceIDNormalizer.normalize(raw)
        case .customerID: try CustomerIDNormalizer.normalize(raw)
        }
    }

    /// Every distinct match hash `raw` is indexed under: an e-mail under each profile, a phone number in both
    /// forms, the other kinds under their one rule. Exactly one entry is canonical (see
    /// ``IndexedMatchHash/isCanonical``).
    ///
    /// An e-mail that some profile cannot normalize (`+x@gmail.com` under ``EmailProfile/google``) is rejected
    /// as a whole: it could not be resolved to a person.
    public func matchHashes(kind: IdentifierKind, raw: String, region: String? = nil) throws(IdentifierError)
        -> [IndexedMatchHash]
    {
        var values: [(value: String, rule: NormalizationRule)] = []
        try self.forEachVariant(kind: kind, raw: raw, region: region) { values.append(($0, $1)) }
        // Each distinct value is hashed once: most addresses are the same under every profile. `String` equality
        // is canonical equivalence, which for these values, all in NFC, is equality of their UTF-8 bytes.
        let canonical = Self.canonicalRule(of: kind)
        var entries: [(value: String, rules: [NormalizationRule])] = []
        for (value, rule) in values {
            if let index = entries.firstIndex(where: { $0.value == value }) {
                entries[index].rules.append(rule)
            } else {
                entries.append((value, [rule]))
            }
        }
        return entries.map {
            IndexedMatchHash(
                hash: MatchHash(normalized: $0.value), rules: $0.rules, isCanonical: $0.rules.contains(canonical)
            )
        }
    }

    /// Calls `visit` with `raw` normalized under each rule of `kind`, in the order of
    /// ``NormalizationRule/all(of:)``, after the checks every rule shares: the values
    /// ``matchHashes(kind:raw:region:)`` hashes, for a caller that hashes them without its arrays. Values of
    /// different rules are often equal (an e-mail under most profiles).
    ///
    /// - Throws: ``IdentifierError`` when `raw` is not a valid identifier of `kind`, or when some e-mail profile
    ///   cannot normalize it (see ``matchHashes(kind:raw:region:)``): the values visited before are then void.
    public func forEachVariant(
        kind: IdentifierKind, raw: String, region: String? = nil, _ visit: (String, NormalizationRule) -> Void
    ) throws(IdentifierError) {
        switch kind {
        case .email:
            let address = try EmailAddress(raw)
            // Most addresses are the same under every profile: that one string is made once and given to each.
            let basic = try address.normalized(for: .basic)
            for profile in EmailProfile.allCases {
                if address.ruleApplies(for: profile) {
                    visit(try address.normalized(for: profile), .email(profile))
                } else {
                    visit(basic, .email(profile))
                }
            }
        case .phone:
            let e164 = try PhoneNormalizer.e164(raw, region: self.region(region))
            visit(e164, .phone(.e164))
            visit(String(e164.dropFirst()), .phone(.digits))
        case .deviceID:
            visit(try DeviceIDNormalizer.normalize(raw), .deviceID)
        case .customerID:
            visit(try CustomerIDNormalizer.normalize(raw), .customerID)
        }
    }

    /// The hash identity resolution joins subjects on, computed without the other profiles and forms.
    public func canonicalMatchHash(kind: IdentifierKind, raw: String, region: String? = nil) throws(IdentifierError)
        -> MatchHash
    {
        MatchHash(normalized: try self.canonicalValue(kind: kind, raw: raw, region: region))
    }

    /// `raw` normalized under the rule of `kind` identity resolution joins on (``canonicalRule(of:)``): what
    /// ``canonicalMatchHash(kind:raw:region:)`` hashes.
    public func canonicalValue(kind: IdentifierKind, raw: String, region: String? = nil) throws(IdentifierError)
        -> String
    {
        try self.normalize(raw, under: Self.canonicalRule(of: kind), region: region)
    }

    /// The rule of `kind` identity resolution joins on.
    public static func canonicalRule(of kind: IdentifierKind) -> NormalizationRule {
        switch kind {
        case .email: .email(.google)
        case .phone: .phone(.e164)
        case .deviceID: .deviceID
        case .customerID: .customerID
        }
    }

    /// The record's region if it has one, else the default region.
    private func region(_ record: String?) -> String? {
        PhoneNormalizer.regionCode(record) ?? self.defaultRegion
    }
}
