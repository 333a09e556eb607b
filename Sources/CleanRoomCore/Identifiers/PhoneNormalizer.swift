internal import CPhoneNumber

/// Normalizes phone numbers with Google's libphonenumber, as DESIGN.md section 4 says.
///
/// The number is parsed in a region (ISO 3166-1 alpha-2, any case): the record's own country, else the default
/// region of the policy. `UK`, which CRM exports often give for the United Kingdom, is read as its ISO code `GB`
/// (see ``regionAliases``). The region matters only for national numbers: a number written with `+` or an
/// international call prefix (`00`, `011`, …) carries its own country code. Spaces, dashes, dots, slashes,
/// brackets, a `(0)` after the country code, a national trunk prefix, an extension and full-width digits are all
/// handled by libphonenumber; a number that does not parse or is not valid for its region is rejected. The
/// ``PhoneForm/digits`` form is derived from the parsed E.164 number, never from the raw text.
public enum PhoneNormalizer {
    /// Returns `raw` in `form`, parsing national numbers in `region`, or throws why it is not a valid number.
    public static func normalize(_ raw: String, region: String?, form: PhoneForm) throws(IdentifierError) -> String {
        let e164 = try self.e164(raw, region: region)
        switch form {
        case .e164: return e164
        case .digits: return String(e164.dropFirst())
        }
    }

    /// Whether libphonenumber knows `region` (e.g. `DE` or `de`), or it is an alias of a region it knows.
    public static func isKnownRegion(_ region: String) -> Bool {
        guard let code = self.regionCode(region) else { return false }
        return CPhoneNumber_isSupportedRegion(code) == 1
    }

    /// Region names that are not ISO 3166-1 alpha-2 codes but that exports commonly use, with the code they
    /// stand for: `UK` (the United Kingdom's own abbreviation, reserved by ISO for it) is `GB`.
    public static let regionAliases: [String: String] = ["UK": "GB"]

    /// `region` trimmed, uppercased and with an alias replaced by its code, or `nil` when nothing is left.
    static func regionCode(_ region: String?) -> String? {
        guard let region else { return nil }
        let code = UnicodeText.trimmingWhiteSpace(region).uppercased()
        return code.isEmpty ? nil : Self.regionAliases[code] ?? code
    }

    /// The E.164 form of `raw` (`+` and up to 15 digits).
    static func e164(_ raw: String, region: String?) throws(IdentifierError) -> String {
        let text = UnicodeText.trimmingWhiteSpace(raw)
        guard !text.isEmpty else {
            throw IdentifierError(.empty, .phone, "the phone number is empty; leave the field out instead")
        }
        // The shim reads a C string: a NUL would cut the number short without anyone noticing.
        guard !text.unicodeScalars.contains(where: UnicodeText.isControl) else {
            throw IdentifierError(
                .controlCharacter, .phone, "the phone number holds a control character; check the file's encoding")
        }
        let regionCode = self.regionCode(region)
        var buffer = [CChar](repeating: 0, count: 32)
        let status = CPhoneNumber_formatE164(text, regionCode, &buffer, buffer.count)
        guard status != CPhoneNumber_ok else {
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        throw self.error(for: status, region: regionCode)
    }

    private static func error(for status: CPhoneNumber_Status, region: String?) -> IdentifierError {
        switch status {
        case CPhoneNumber_invalidCountryCode:
            guard let region else {
                return IdentifierError(
                    .missingRegion, .phone,
                    "the phone number has no country code and no region was given; write it as +<country code>… "
                        + "or give the record's country or a default region")
            }
            guard self.isKnownRegion(region) else {
                return IdentifierError(
                    .unknownRegion, .phone,
                    "the region \(region) is not an ISO 3166-1 alpha-2 code libphonenumber knows (e.g. DE, GB, US)")
            }
            return IdentifierError(.invalidPhone, .phone, "the phone number has no valid country code")
        case CPhoneNumber_notANumber:
            return IdentifierError(.invalidPhone, .phone, "the phone number is not a phone number")
        case CPhoneNumber_tooShortAfterIDD, CPhoneNumber_tooShortNSN:
            return IdentifierError(.invalidPhone, .phone, "the phone number is too short")
        case CPhoneNumber_tooLong:
            return IdentifierError(.invalidPhone, .phone, "the phone number is too long")
        case CPhoneNumber_invalidNumber:
            return IdentifierError(
                .invalidPhone, .phone,
                "the phone number is not a valid number in its country; check the digits and the region")
        default:
            return IdentifierError(.invalidPhone, .phone, "the phone number could not be parsed")
        }
    }
}
