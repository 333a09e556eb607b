/// Normalizes e-mail addresses as DESIGN.md section 4 says.
///
/// The common steps: trim white space (any Unicode White_Space, NO-BREAK SPACE included), Unicode NFC, full
/// Unicode lowercase (see ``UnicodeText/lowercased(_:)``). Then the address must have exactly one `@`, a
/// non-empty local part, and a domain of at least two non-empty labels. Rejected inside: white space, control
/// characters, invisible format characters (Unicode category Cf: a zero-width space, a byte order mark, a soft
/// hyphen) and the specials `< > ( ) [ ] \ , ; : "`, which only a display name (`Jane <jane@example.com>`), a
/// list (`a@example.com; b@example.com`), a `mailto:` link, a comment, an address literal or a quoted local part
/// hold. Quoted local parts are not supported: no ad platform takes them. Internationalized domains stay as
/// written: U-labels are not converted to punycode, nor punycode back. Last, the ``EmailProfile`` rule, which may
/// not leave the local part empty; a local part it changed is put in NFC again, since removing a dot can bring a
/// combining mark next to a letter it composes with.
public enum EmailNormalizer {
    /// The most UTF-8 bytes a normalized address may have: 254, the longest address SMTP can carry
    /// (RFC 5321 section 4.5.3.1.3).
    public static let maximumByteCount = 254

    /// Returns `raw` normalized under `profile`, or throws why it is not a usable e-mail address.
    public static func normalize(_ raw: String, profile: EmailProfile) throws(IdentifierError) -> String {
        try EmailAddress(raw).normalized(for: profile)
    }
}

/// An e-mail address after the common steps, split at its `@`.
struct EmailAddress {
    /// What comes before the `@`.
    let localPart: String
    /// What comes after the `@`.
    let domain: String

    /// Applies the common steps to `raw` and checks the address's shape.
    init(_ raw: String) throws(IdentifierError) {
        let trimmed = UnicodeText.trimmingWhiteSpace(raw)
        guard !trimmed.isEmpty else {
            throw IdentifierError(.empty, .email, "the e-mail address is empty; leave the field out instead")
        }
        let text = UnicodeText.lowercased(UnicodeText.canonicalComposition(trimmed))
        for scalar in text.unicodeScalars {
            if UnicodeText.isWhiteSpace(scalar) {
                throw IdentifierError(
                    .whitespaceInside, .email, "the e-mail address has white space inside; an address has none")
            }
            if UnicodeText.isControl(scalar) {
                throw IdentifierError(
                    .controlCharacter, .email,
                    "the e-mail address holds a control character; check the file's encoding")
            }
            if UnicodeText.isFormat(scalar) {
                throw IdentifierError(
                    .invalidCharacter, .email,
                    "the e-mail address holds an invisible format character (Unicode category Cf, such as a "
                        + "zero-width space or a byte order mark); remove it")
            }
            if Self.isSpecial(scalar) {
                throw IdentifierError(
                    .invalidCharacter, .email,
                    "the e-mail address holds one of < > ( ) [ ] \\ , ; : \" (a display name, a list, a mailto: "
                        + "prefix or a quoted local part); give the bare address, local-part@domain")
            }
        }
        guard text.utf8.count <= EmailNormalizer.maximumByteCount else {
            throw IdentifierError(
                .tooLong, .email,
                "the e-mail address is longer than \(EmailNormalizer.maximumByteCount) bytes, the most SMTP carries")
        }
        let utf8 = text.utf8
        guard let at = utf8.firstIndex(of: UInt8(ascii: "@")) else {
            throw IdentifierError(.missingAt, .email, "the e-mail address has no @; give it as local-part@domain")
        }
        let domainBytes = utf8[utf8.index(after: at)...]
        guard !domainBytes.contains(UInt8(ascii: "@")) else {
            throw IdentifierError(
                .multipleAt, .email, "the e-mail address has more than one @; give one address per field")
        }
        guard at != utf8.startIndex else {
            throw IdentifierError(.emptyLocalPart, .email, "the e-mail address has nothing before the @")
        }
        guard !domainBytes.isEmpty else {
            throw IdentifierError(.emptyDomain, .email, "the e-mail address has nothing after the @")
        }
        let labels = domainBytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            throw IdentifierError(
                .invalidDomain, .email,
                "the domain of the e-mail address needs a dot and no empty label (as in example.com)")
        }
        self.localPart = String(decoding: utf8[..<at], as: UTF8.self)
        self.domain = String(decoding: domainBytes, as: UTF8.self)
    }

    /// Whether `scalar` is one of the characters an address holds only in a display name, a list, a `mailto:`
    /// link, a comment, an address literal or a quoted local part: the specials of RFC 5322 section 3.2.3 other
    /// than `@` and `.`.
    private static func isSpecial(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "<", ">", "(", ")", "[", "]", "\\", ",", ";", ":", "\"": true
        default: false
        }
    }

    /// Whether `profile`'s rule for the local part applies to this address (only on Google's domains): where it
    /// does not, the address under `profile` is the ``EmailProfile/basic`` one.
    func ruleApplies(for profile: EmailProfile) -> Bool {
        let isGmail = self.domain == "gmail.com"
        switch profile {
        case .google, .gmailDots: return isGmail || self.domain == "googlemail.com"
        case .uid2: return isGmail
        case .basic: return false
        }
    }

    /// The address under `profile`'s rule.
    func normalized(for profile: EmailProfile) throws(IdentifierError) -> String {
        let local: String
        switch profile {
        case .google where self.ruleApplies(for: profile), .uid2 where self.ruleApplies(for: profile):
            local = UnicodeText.canonicalComposition(Self.removingDots(Self.removingTag(self.localPart)))
        case .gmailDots where self.ruleApplies(for: profile):
            local = UnicodeText.canonicalComposition(Self.removingDots(self.localPart))
        case .basic, .google, .gmailDots, .uid2:
            local = self.localPart
        }
        guard !local.isEmpty else {
            throw IdentifierError(
                .emptyLocalPart, .email,
                "the e-mail address has nothing before the @ once the \(profile.rawValue) profile drops dots and +tag")
        }
        return local + "@" + self.domain
    }

    /// `local` up to its first `+`.
    private static func removingTag(_ local: String) -> String {
        guard let plus = local.utf8.firstIndex(of: UInt8(ascii: "+")) else { return local }
        return String(decoding: local.utf8[..<plus], as: UTF8.self)
    }

    /// `local` without any `.`.
    private static func removingDots(_ local: String) -> String {
        String(decoding: local.utf8.filter { $0 != UInt8(ascii: ".") }, as: UTF8.self)
    }
}
