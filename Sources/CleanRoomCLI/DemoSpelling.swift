/// How people and systems write identifiers: the messiness the ingest normalizes away (DESIGN.md section 4),
/// and the mistakes it rejects.
enum DemoSpelling {
    // MARK: - E-mail

    /// `address` as a source system might hold it: mostly as typed, sometimes capitalized, in capitals, with a
    /// capitalized domain, or with white space (a no-break space too) around it. Addresses with letters outside
    /// ASCII keep their case, since uppercasing `ß` would change the address.
    static func messyEmail(_ address: String, _ random: inout DemoRandom) -> String {
        let isASCII = address.utf8.allSatisfy { $0 < 0x80 }
        var text = address
        switch random.below(1000) {
        case 0..<100 where isASCII: text = self.capitalizingWords(address)
        case 100..<120 where isASCII: text = address.uppercased()
        case 120..<150 where isASCII:
            let parts = address.split(separator: "@", maxSplits: 1)
            text = parts[0] + "@" + self.capitalizingWords(String(parts[1]))
        default: break
        }
        switch random.below(1000) {
        case 0..<10: text = " " + text
        case 10..<20: text += " "
        case 20..<23: text += "\u{00A0}"
        default: break
        }
        return text
    }

    /// Another spelling of the Gmail mailbox `mailbox` (its local part without dots) at `domain`, as people type
    /// it in another shop: without dots, with one dot somewhere, or with a dot before the digits; sometimes with a
    /// `+tag`. Gmail ignores both, so it is the same mailbox.
    static func respelledGmail(mailbox: String, domain: String, _ random: inout DemoRandom) -> String {
        var local = mailbox
        switch random.below(3) {
        case 0:
            break
        case 1 where mailbox.count > 2:
            local.insert(".", at: local.index(local.startIndex, offsetBy: 1 + random.below(mailbox.count - 2)))
        default:
            if let digits = local.firstIndex(where: \.isNumber), digits != local.startIndex {
                local.insert(".", at: digits)
            }
        }
        if random.chance(0.2) {
            local += "+" + random.pick(Self.gmailTags)
        }
        return local + "@" + domain
    }

    /// A malformed address made from `address`: no `@`, two `@`, a space inside, a domain without a dot or with
    /// an empty label, an empty local part, or a Gmail address that is only a `+tag`.
    static func invalidEmail(_ address: String, _ random: inout DemoRandom) -> String {
        let parts = address.split(separator: "@", maxSplits: 1).map(String.init)
        let local = parts[0]
        let domain = parts.count > 1 ? parts[1] : "web.de"
        let label = domain.split(separator: ".").first.map(String.init) ?? "mail"
        switch random.below(7) {
        case 0: return local + domain
        case 1: return local + "@@" + domain
        case 2: return local.prefix(local.count / 2) + " " + local.dropFirst(local.count / 2) + "@" + domain
        case 3: return local + "@" + label
        case 4: return local + "@" + label + "..de"
        case 5: return "@" + domain
        default: return "+" + random.pick(Self.gmailTags) + "@gmail.com"
        }
    }

    /// Tags people add to Gmail addresses.
    static let gmailTags = ["shop", "news", "nordwind", "online", "promo", "2024"]

    // MARK: - Phone

    /// The number `subscriber` in `range` of `country`, written nationally (to be read in the record's country)
    /// or internationally, in one of the styles people use.
    static func phone(
        country: DemoCountry, range: DemoCountry.PhoneRange, subscriber: String, national: Bool,
        _ random: inout DemoRandom
    ) -> String {
        let trunk = country.trunkPrefix
        if national {
            switch random.below(10) {
            case 0..<3: return trunk + range.prefix + subscriber
            case 3..<5 where country.usesGermanStyle: return trunk + range.prefix + "/" + subscriber
            case 5..<8 where country.code == "FR": return self.pairs(trunk + range.prefix + subscriber)
            default: return trunk + range.prefix + " " + self.halves(subscriber)
            }
        }
        let code = country.callingCode
        switch random.below(10) {
        case 0..<4: return "+" + code + range.prefix + subscriber
        case 4..<5: return "00" + code + " " + range.prefix + " " + subscriber
        case 5..<7 where country.usesGermanStyle: return "+" + code + " (0)" + range.prefix + " " + subscriber
        default: return "+" + code + " " + range.prefix + " " + self.halves(subscriber)
        }
    }

    /// The E.164 form of the number `subscriber` in `range` of `country`.
    static func e164(country: DemoCountry, range: DemoCountry.PhoneRange, subscriber: String) -> String {
        "+" + country.callingCode + range.prefix + subscriber
    }

    /// Texts in a phone field that are no valid number in any of the policy's countries: too short, too long, an
    /// unknown country code, a number range that does not exist, or words. (`12345` would not do: it is a valid
    /// Vienna number.)
    static let invalidPhones = [
        "123", "00000", "0000 0000", "+49 151", "+49 151 1234567890123", "+999 1234 5678", "+49 0000 000000", "n/a",
        "keine Angabe",
    ]

    // MARK: - Device id

    /// A random advertising id (a version 4 UUID, as IDFA and AAID are) in one of the spellings devices and SDKs
    /// produce: uppercase (iOS) or lowercase (Android) with hyphens, without hyphens, in braces, with spaces
    /// around.
    static func deviceID(_ high: UInt64, _ low: UInt64, _ random: inout DemoRandom) -> String {
        let high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var digits: [UInt8] = []
        digits.reserveCapacity(32)
        for word in [high, low] {
            for shift in stride(from: 60, through: 0, by: -4) {
                digits.append(Self.hexDigits[Int((word >> UInt64(shift)) & 0xF)])
            }
        }
        return self.deviceID(digits: digits, random.below(20))
    }

    /// The all-zero id a device reports when the user limits ad tracking, in one of the spellings.
    static func allZeroDeviceID(_ random: inout DemoRandom) -> String {
        self.deviceID(digits: [UInt8](repeating: UInt8(ascii: "0"), count: 32), random.below(20))
    }

    /// Another spelling of the same id as `written` (which any spelling from ``deviceID(_:_:_:)`` may be).
    static func respelledDeviceID(_ written: String, _ random: inout DemoRandom) -> String {
        let digits = written.lowercased().utf8.filter { Self.hexDigits.contains($0) }
        return self.deviceID(digits: digits, random.below(20))
    }

    /// The 32 lowercase hexadecimal `digits` in spelling `style` (0..<20, drawn uniformly): uppercase with hyphens
    /// 35 %, lowercase with hyphens 40 %, plain lowercase 10 %, plain uppercase 5 %, uppercase in braces 5 %,
    /// lowercase with spaces around 5 %.
    private static func deviceID(digits: [UInt8], _ style: Int) -> String {
        let uppercase = style < 7 || style == 17 || style == 18
        let hyphens = style < 15 || style >= 18
        var text: [UInt8] = []
        text.reserveCapacity(40)
        if style == 18 { text.append(UInt8(ascii: "{")) }
        if style == 19 { text.append(UInt8(ascii: " ")) }
        for (offset, digit) in digits.enumerated() {
            if hyphens && (offset == 8 || offset == 12 || offset == 16 || offset == 20) {
                text.append(UInt8(ascii: "-"))
            }
            text.append(uppercase && digit >= UInt8(ascii: "a") ? digit - 32 : digit)
        }
        if style == 18 { text.append(UInt8(ascii: "}")) }
        if style == 19 { text.append(UInt8(ascii: " ")) }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    // MARK: - Helpers

    private static func capitalizingWords(_ text: String) -> String {
        var result = ""
        var startsWord = true
        for character in text {
            result += startsWord ? character.uppercased() : String(character)
            startsWord = character == "." || character == "_" || character == "-" || character == "@"
        }
        return result
    }

    private static func halves(_ digits: String) -> String {
        let middle = digits.index(digits.startIndex, offsetBy: digits.count / 2)
        return digits[..<middle] + " " + digits[middle...]
    }

    private static func pairs(_ digits: String) -> String {
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && offset % 2 == 0 { result.append(" ") }
            result.append(character)
        }
        return result
    }
}
