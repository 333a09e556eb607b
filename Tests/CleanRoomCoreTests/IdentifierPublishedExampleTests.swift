import CleanRoomCore
import Testing

/// A worked example from a platform's own documentation or SDK: raw inputs, the normalized value the platform
/// gives, and, where published, its SHA-256 in hex and Base64.
struct PublishedExample: Sendable, CustomTestStringConvertible {
    var source: String
    var raws: [String]
    var kind: IdentifierKind
    var profile: EmailProfile = .basic
    var form: PhoneForm = .e164
    var region: String?
    var normalized: String
    var hex: String?
    var base64: String?

    var testDescription: String { "\(self.normalized) (\(self.source))" }
}

/// UID2's normalization and encoding page: its whole e-mail table, the phone example and the two hashes of its
/// introduction. Profile `uid2`, form `e164`.
private let uid2 = "https://unifiedid.com/docs/getting-started/gs-normalization-encoding"
/// Google's Data Manager API "Format user data" guide (normalization only; it publishes no hashes).
private let googleGuide = "https://developers.google.com/data-manager/api/devguides/concepts/formatting"
/// Google's Data Manager utility library, its unit tests (the hashes Google's own formatter must produce).
private let googleUtility = "https://github.com/googleads/data-manager-python/blob/main/tests/formatter_test.py"
/// Meta's Conversions API customer information parameters (`em`, `ph`). Meta hashes `basic` e-mails and
/// `digits` phone numbers.
private let meta =
    "https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters"
/// Snap's Conversions API parameters (`em`, `ph`): `basic` e-mails, `digits` phone numbers.
private let snap = "https://developers.snap.com/api/marketing-api/Conversions-API/Parameters"
/// X's Ads API custom audience user data: IDFA lower-cased with dashes.
private let xAds = "https://developer.x.com/en/docs/x-ads-api/audiences/overview/user-data"

extension PublishedExample {
    static let all: [PublishedExample] = [
        // uid2: "Email Address Hash Encoding" table
        .init(source: uid2, raws: ["user@example.com"], kind: .email, profile: .uid2,
              normalized: "user@example.com",
              hex: "b4c9a289323b21a01c3e940f150eb9b8c542587f1abfd8f0e1cc1ffc5e475514",
              base64: "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="),
        // uid2: "Normalization Examples for Email" table, row 1
        .init(source: uid2, raws: ["MyEmail@example.com", "MYEMAIL@example.com"], kind: .email, profile: .uid2,
              normalized: "myemail@example.com",
              hex: "16c18d336f0b250f0e2d907452ceb9658a74ecdae8bc94864c23122a72cc27a5",
              base64: "FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U="),
        // uid2: row 2
        .init(source: uid2, raws: ["My.Email@example.com"], kind: .email, profile: .uid2,
              normalized: "my.email@example.com",
              hex: "e22b53bc6f871274f3a62ab37a3caed7214fc14d676215a96a242fcfada1c81f",
              base64: "4itTvG+HEnTzpiqzejyu1yFPwU1nYhWpaiQvz62hyB8="),
        // uid2: row 3
        .init(source: uid2, raws: ["JANESAOIRSE@example.com", "JaneSaoirse@example.com"], kind: .email,
              profile: .uid2, normalized: "janesaoirse@example.com",
              hex: "d6670e7a92007f1b5ff785f1fc81e53aa6d3d7bd06bdf5c473cdc7286c284b6d",
              base64: "1mcOepIAfxtf94Xx/IHlOqbT170GvfXEc83HKGwoS20="),
        // uid2: row 4 (the page shows a stray tab before this hex value)
        .init(source: uid2, raws: ["jane.saoirse@example.com", "Jane.Saoirse@example.com"], kind: .email,
              profile: .uid2, normalized: "jane.saoirse@example.com",
              hex: "b196432c7b989a2ca91c83799957c515da53e6c13abf20b78fea94f117e90bf8",
              base64: "sZZDLHuYmiypHIN5mVfFFdpT5sE6vyC3j+qU8RfpC/g="),
        // uid2: row 5
        .init(source: uid2, raws: ["JaneSaoirse+Work@example.com"], kind: .email, profile: .uid2,
              normalized: "janesaoirse+work@example.com",
              hex: "28aaee4815230cd3b4ebd88c515226550666e91ac019929e3adac3f66c288180",
              base64: "KKruSBUjDNO069iMUVImVQZm6RrAGZKeOtrD9mwogYA="),
        // uid2: row 6, plus the introduction's JANESaoirse@gmail.com
        .init(source: uid2,
              raws: ["JANE.SAOIRSE@gmail.com", "Jane.Saoirse@gmail.com", "JaneSaoirse+Work@gmail.com",
                     "JANESaoirse@gmail.com"],
              kind: .email, profile: .uid2, normalized: "janesaoirse@gmail.com",
              hex: "92ee26057ed9dea2535d6c8b141d48373932476599196e00352254896db5888f",
              base64: "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8="),
        // uid2: "Phone Number Hash Encoding" table, and the US example of "Phone Number Normalization"
        .init(source: uid2, raws: ["+12345678901", "1 (234) 567-8901"], kind: .phone, form: .e164, region: "US",
              normalized: "+12345678901",
              hex: "10e6f0b47054a83359477dcb35231db6de5c69fb1816e1a6b98e192de9e5b9ee",
              base64: "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="),
        // uid2: the Sydney example of "Phone Number Normalization" (no hash published)
        .init(source: uid2, raws: ["(02) 1234 5678"], kind: .phone, form: .e164, region: "AU",
              normalized: "+61212345678"),
        // googleGuide: email_address examples
        .init(source: googleGuide, raws: ["cloudy.sanfrancisco+shopping@gmail.com"], kind: .email, profile: .google,
              normalized: "cloudysanfrancisco@gmail.com"),
        .init(source: googleGuide, raws: ["user.name+NYC@Example.com"], kind: .email, profile: .google,
              normalized: "user.name+nyc@example.com"),
        // googleGuide: phone_number example
        .init(source: googleGuide, raws: ["(800)555-0100"], kind: .phone, form: .e164, region: "US",
              normalized: "+18005550100"),
        // googleUtility: test_process_email_address_valid_inputs_hex_encoding / _base64_encoding
        .init(source: googleUtility,
              raws: ["alexz@example.com", "  alexz@example.com", "  ALEXZ@example.com   ", "  alexz@EXAMPLE.com   "],
              kind: .email, profile: .google, normalized: "alexz@example.com",
              hex: "509e933019bb285a134a9334b8bb679dff79d0ce023d529af4bd744d47b4fd8a",
              base64: "UJ6TMBm7KFoTSpM0uLtnnf950M4CPVKa9L10TUe0/Yo="),
        // googleUtility: test_process_phone_number_valid_inputs_hex_encoding / _base64_encoding
        .init(source: googleUtility, raws: ["+18005550100", "   +1-800-555-0100", "1-800-555-0100   "],
              kind: .phone, form: .e164, region: "US", normalized: "+18005550100",
              hex: "fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30",
              base64: "+09zpuxf23B31WTN0iw1VLQ85JFoVQw7EsVHt4xRezA="),
        // googleUtility: test_format_email_address_valid_inputs
        .init(source: googleUtility, raws: ["QuinnY@example.com", "QuinnY@EXAMPLE.com"], kind: .email,
              profile: .google, normalized: "quinny@example.com"),
        .init(source: googleUtility, raws: ["Jefferson.Loves.hiking@gmail.com"], kind: .email, profile: .google,
              normalized: "jeffersonloveshiking@gmail.com"),
        .init(source: googleUtility, raws: ["Jefferson.LOVES.Hiking@googlemail.com"], kind: .email, profile: .google,
              normalized: "jeffersonloveshiking@googlemail.com"),
        // googleUtility: test_format_phone_number_valid_inputs (a number without + is read in the region given)
        .init(source: googleUtility, raws: ["1 800 555 0100", "18005550100", "+1 800-555-0100"], kind: .phone,
              form: .e164, region: "US", normalized: "+18005550100"),
        .init(source: googleUtility, raws: ["441134960987", "+441134960987", "+44-113-496-0987"], kind: .phone,
              form: .e164, region: "GB", normalized: "+441134960987"),
        // meta: em
        .init(source: meta, raws: ["John_Smith@gmail.com"], kind: .email, profile: .basic,
              normalized: "john_smith@gmail.com",
              hex: "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"),
        // meta: ph
        .init(source: meta, raws: ["(650)555-1212"], kind: .phone, form: .digits, region: "US",
              normalized: "16505551212",
              hex: "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"),
        // snap: em
        .init(source: snap, raws: ["Person@Example.com"], kind: .email, profile: .basic,
              normalized: "person@example.com",
              hex: "542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345"),
        // snap: ph
        .init(source: snap, raws: ["+44 844 412 4653"], kind: .phone, form: .digits, region: nil,
              normalized: "448444124653",
              hex: "dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"),
        // xAds: IDFA
        .init(source: xAds, raws: ["4b61639e-47cc-4056-a16a-c8217e029462"], kind: .deviceID,
              normalized: "4b61639e-47cc-4056-a16a-c8217e029462"),
    ]
}

/// Our normalization and hashing reproduce every published example byte for byte.
struct IdentifierPublishedExampleTests {
    static let normalizer = try! IdentifierNormalizer()

    @Test(arguments: PublishedExample.all)
    func reproduces(_ example: PublishedExample) throws {
        for raw in example.raws {
            let value = try Self.normalizer.normalize(
                kind: example.kind, raw: raw, profile: example.profile, form: example.form, region: example.region)
            #expect(Array(value.utf8) == Array(example.normalized.utf8), "\(raw)")
        }
        let hash = MatchHash(normalized: example.normalized)
        if let hex = example.hex {
            #expect(hash.hex == hex)
            #expect(try MatchHash(transport: hex) == hash)
        }
        if let base64 = example.base64 {
            #expect(hash.base64 == base64)
            #expect(try MatchHash(transport: base64) == hash)
        }
    }

    /// UID2's introduction: hashing `JANESaoirse@gmail.com` without normalizing gives a different value, which
    /// it publishes. Hashing the raw bytes ourselves gives that value too.
    @Test func uid2UnnormalizedHash() throws {
        let raw = MatchHash(normalized: "JANESaoirse@gmail.com")
        #expect(raw.base64 == "VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/E=")
        let normalized = try Self.normalizer.normalize(kind: .email, raw: "JANESaoirse@gmail.com", profile: .uid2)
        #expect(MatchHash(normalized: normalized) != raw)
    }

    /// UID2's Singapore example, `65 1243 5678` normalized to `+6512345678`, is not a valid number (its digits
    /// do not even match; Singapore numbers start with 3, 6, 8 or 9), so libphonenumber rejects it.
    @Test func uid2SingaporeExampleIsNotAValidNumber() {
        #expect(rejectionCode {
            _ = try Self.normalizer.normalize(kind: .phone, raw: "65 1243 5678", region: "SG")
        } == "invalid_phone")
        #expect(rejectionCode {
            _ = try Self.normalizer.normalize(kind: .phone, raw: "+6512345678")
        } == "invalid_phone")
    }

    /// googleUtility: test_format_email_address_invalid_inputs and test_format_phone_number_invalid_inputs.
    @Test(arguments: [("", "empty"), ("  ", "empty"), ("quinn", "missing_at"), (" @googlemail.com", "empty_local_part"),
                      (" ...@gmail.com", "empty_local_part")])
    func googleUtilityRejectsEmail(raw: String, code: String) {
        #expect(rejectionCode { _ = try Self.normalizer.normalize(kind: .email, raw: raw, profile: .google) } == code)
    }

    @Test func googleUtilityRejectsPhone() {
        #expect(rejectionCode {
            _ = try Self.normalizer.normalize(kind: .phone, raw: " +A BCD EFG ", region: "US")
        } == "invalid_phone")
    }
}
