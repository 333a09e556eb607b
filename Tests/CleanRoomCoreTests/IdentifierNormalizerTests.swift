import CleanRoomCore
import Foundation
import Testing

struct IdentifierNormalizerTests {
    @Test func defaultRegionReadsNationalNumbers() throws {
        let normalizer = try IdentifierNormalizer(defaultRegion: " de ")
        #expect(normalizer.defaultRegion == "DE")
        #expect(try normalizer.normalize(kind: .phone, raw: "030 1234567") == "+49301234567")
        #expect(try normalizer.normalize(kind: .phone, raw: "030 1234567", form: .digits) == "49301234567")
    }

    @Test func recordRegionTakesPrecedence() throws {
        let normalizer = try IdentifierNormalizer(defaultRegion: "DE")
        #expect(try normalizer.normalize(kind: .phone, raw: "020 7946 0958", region: "GB") == "+442079460958")
        #expect(try normalizer.normalize(kind: .phone, raw: "030 1234567", region: " ") == "+49301234567")
    }

    @Test func emptyDefaultRegionIsNone() throws {
        let normalizer = try IdentifierNormalizer(defaultRegion: "")
        #expect(normalizer.defaultRegion == nil)
        #expect(rejectionCode { _ = try normalizer.normalize(kind: .phone, raw: "030 1234567") } == "missing_region")
    }

    @Test func unknownDefaultRegionFailsAtCreation() {
        do {
            _ = try IdentifierNormalizer(defaultRegion: "XX")
            Issue.record("accepted XX")
        } catch {
            #expect(error.code == .unknownRegion)
            #expect(error.field == "phone")
            #expect(error.message.contains("XX"))
        }
    }

    /// CRM exports often write `UK` for the United Kingdom, whose ISO 3166-1 code is `GB`.
    @Test(arguments: ["UK", "uk", " Uk "])
    func ukIsReadAsGB(_ region: String) throws {
        #expect(PhoneNormalizer.isKnownRegion(region))
        #expect(try IdentifierNormalizer(defaultRegion: region).defaultRegion == "GB")
        let normalizer = try IdentifierNormalizer(defaultRegion: "DE")
        #expect(try normalizer.normalize(kind: .phone, raw: "020 7946 0958", region: region) == "+442079460958")
        #expect(try PhoneNormalizer.normalize("07911 123456", region: region, form: .digits) == "447911123456")
    }

    @Test func profileAndFormApplyToTheirKindsOnly() throws {
        let normalizer = try IdentifierNormalizer()
        let id = "6D92078A82464BA4AE5B76104861E7DC"
        #expect(try normalizer.normalize(kind: .deviceID, raw: id, profile: .basic, form: .digits)
            == "6d92078a-8246-4ba4-ae5b-76104861e7dc")
        #expect(try normalizer.normalize(kind: .customerID, raw: " A.B+C@gmail.com ", profile: .google)
            == "A.B+C@gmail.com")
    }

    /// Identity resolution joins on the `google` profile: spellings of one Gmail mailbox are one person, while
    /// googlemail.com keeps its own domain, as Google hashes it.
    @Test func canonicalHashJoinsGmailSpellings() throws {
        let normalizer = try IdentifierNormalizer()
        let plain = try normalizer.canonicalMatchHash(kind: .email, raw: "janedoe@gmail.com")
        for spelling in ["Jane.Doe@gmail.com", " JANE.DOE+shop@GMAIL.COM ", "j.a.n.e.d.o.e+a+b@gmail.com"] {
            #expect(try normalizer.canonicalMatchHash(kind: .email, raw: spelling) == plain)
        }
        #expect(try normalizer.canonicalMatchHash(kind: .email, raw: "janedoe@googlemail.com") != plain)
    }

    @Test func phoneIsIndexedUnderBothForms() throws {
        let entries = try IdentifierNormalizer().matchHashes(kind: .phone, raw: "+49 30 1234567")
        #expect(entries.map(\.rules) == [[.phone(.e164)], [.phone(.digits)]])
        #expect(entries.map(\.isCanonical) == [true, false])
        #expect(entries.map(\.hash) == [MatchHash(normalized: "+49301234567"), MatchHash(normalized: "49301234567")])
    }

    @Test(arguments: [
        // Google Mail (every Google profile applies), Gmail (UID2's too) and another domain (none applies).
        (IdentifierKind.email, "J.Doe+x@GoogleMail.com"), (.email, "J.Doe+x@gmail.com"), (.email, "J.Doe+x@Example.com"),
        (.phone, "030 1234567"), (.deviceID, "6D92078A82464BA4AE5B76104861E7DC"),
        (.customerID, " c-1 "),
    ])
    func eachVariantIsVisitedInRuleOrder(_ kind: IdentifierKind, _ raw: String) throws {
        let normalizer = try IdentifierNormalizer(defaultRegion: "DE")
        var visited: [(String, NormalizationRule)] = []
        try normalizer.forEachVariant(kind: kind, raw: raw) { visited.append(($0, $1)) }
        #expect(visited.map(\.1) == NormalizationRule.all(of: kind))
        for (value, rule) in visited {
            let profile: EmailProfile = if case .email(let profile) = rule { profile } else { .google }
            let form: PhoneForm = if case .phone(let form) = rule { form } else { .e164 }
            #expect(try value == normalizer.normalize(kind: kind, raw: raw, profile: profile, form: form))
            #expect(try value == normalizer.normalize(raw, under: rule))
        }
        let canonical = try #require(visited.first { $0.1 == IdentifierNormalizer.canonicalRule(of: kind) }?.0)
        #expect(try normalizer.canonicalValue(kind: kind, raw: raw) == canonical)
    }

    @Test func ordinaryEmailHasOneHashForAllProfiles() throws {
        let entries = try IdentifierNormalizer().matchHashes(kind: .email, raw: "Someone@Example.com")
        #expect(entries.count == 1)
        #expect(entries.first?.rules == EmailProfile.allCases.map { .email($0) })
        #expect(entries.first?.isCanonical == true)
        #expect(entries.first.map { "\($0.rules[2])" } == "email/gmail_dots")
    }

    /// What a CRM export or a copy from a mail client wraps around an address, and invisible characters inside.
    @Test(arguments: [
        "<a@b.com>", "a@b.com;", "a@b.com,", "mailto:a@b.com", "a\u{200B}b@c.com", "a\u{FEFF}b@c.com",
        "\u{FEFF}a@b.com", "\"a\"@b.com", "a(b)@c.com", "a@[192.0.2.1]", "a\\b@c.com", "a\u{00AD}b@c.com",
        "a@b\u{200E}.com",
    ])
    func malformedEmailIsAnInvalidCharacter(_ raw: String) throws {
        let normalizer = try IdentifierNormalizer()
        for profile in EmailProfile.allCases {
            #expect(rejectionCode { _ = try EmailNormalizer.normalize(raw, profile: profile) } == "invalid_character")
        }
        do {
            _ = try normalizer.matchHashes(kind: .email, raw: raw)
            Issue.record("hashed a malformed address")
        } catch {
            #expect(error.code == .invalidCharacter)
            #expect(error.field == "email")
            #expect(!error.message.contains(raw))
            #expect(!error.description.contains(raw))
            let isFormat = raw.unicodeScalars.contains { $0.properties.generalCategory == .format }
            // The message names the class of the character, never the character or the value.
            #expect(error.message.contains(isFormat ? "Unicode category Cf" : "< > ( ) [ ] \\ , ; : \""))
        }
    }

    /// Removing a dot can bring a combining mark next to the letter before it: the result is put in NFC again.
    @Test func profileRuleResultIsNFC() throws {
        let raw = "e.\u{0301}x@gmail.com"
        #expect(Array(try EmailNormalizer.normalize(raw, profile: .basic).utf8) == Array("e.\u{0301}x@gmail.com".utf8))
        for profile in [EmailProfile.google, .gmailDots, .uid2] {
            let value = try EmailNormalizer.normalize(raw, profile: profile)
            #expect(Array(value.utf8) == Array("\u{00E9}x@gmail.com".utf8))
        }
        let entries = try IdentifierNormalizer().matchHashes(kind: .email, raw: raw)
        #expect(entries.map(\.hash) == [
            MatchHash(normalized: "e.\u{0301}x@gmail.com"), MatchHash(normalized: "\u{00E9}x@gmail.com"),
        ])
        #expect(entries.map(\.rules) == [[.email(.basic)], [.email(.google), .email(.gmailDots), .email(.uid2)]])
    }

    /// No message or description of any rejection in the table holds the raw value.
    @Test func rejectionsNeverHoldTheValue() throws {
        let fixture = try IdentifierFixture.load()
        let normalizer = try IdentifierNormalizer()
        var rejections: [(raw: String, kind: IdentifierKind, error: IdentifierError)] = []
        func collect(_ kind: IdentifierKind, _ raw: String, region: String? = nil) {
            do {
                _ = try normalizer.matchHashes(kind: kind, raw: raw, region: region)
            } catch {
                rejections.append((raw, kind, error))
            }
        }
        fixture.email.forEach { collect(.email, $0.raw) }
        fixture.phone.forEach { collect(.phone, $0.raw, region: $0.region) }
        fixture.deviceID.forEach { collect(.deviceID, $0.raw) }
        fixture.customerID.forEach { collect(.customerID, $0.raw) }
        #expect(rejections.count >= 40)
        for (raw, kind, error) in rejections {
            #expect(error.field == kind.rawValue)
            let core = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard core.count >= 3 else { continue }
            #expect(!error.message.contains(core), "\(error.code)")
            #expect(!error.description.contains(core), "\(error.code)")
        }
    }
}
