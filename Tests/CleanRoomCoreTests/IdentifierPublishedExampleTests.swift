import CleanRoomCore
import Foundation
import Testing

/// A worked example from a platform's own documentation or SDK: raw inputs, the normalized value the platform
/// gives, and, where published, its SHA-256 in hex and Base64.
///
/// The list is ``PublishedExampleFile``, shared with the `cleanroom hash` tests.
struct PublishedExample: Decodable, Sendable, CustomTestStringConvertible {
    /// The key of the page or SDK the example comes from, among the file's ``PublishedExampleFile/sources``.
    var source: String
    /// Where on that page.
    var note: String
    var raws: [String]
    var kind: IdentifierKind
    /// The e-mail profile; `basic` when the file gives none.
    var profile: EmailProfile
    /// The phone form; `e164` when the file gives none.
    var form: PhoneForm
    var region: String?
    var normalized: String
    var hex: String?
    var base64: String?

    var testDescription: String { "\(self.normalized) (\(self.source): \(self.note))" }

    enum CodingKeys: String, CodingKey {
        case source, note, raws, kind, profile, form, region, normalized, hex, base64
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.source = try container.decode(String.self, forKey: .source)
        self.note = try container.decode(String.self, forKey: .note)
        self.raws = try container.decode([String].self, forKey: .raws)
        self.kind = try container.decode(IdentifierKind.self, forKey: .kind)
        self.profile = try container.decodeIfPresent(EmailProfile.self, forKey: .profile) ?? .basic
        self.form = try container.decodeIfPresent(PhoneForm.self, forKey: .form) ?? .e164
        self.region = try container.decodeIfPresent(String.self, forKey: .region)
        self.normalized = try container.decode(String.self, forKey: .normalized)
        self.hex = try container.decodeIfPresent(String.self, forKey: .hex)
        self.base64 = try container.decodeIfPresent(String.self, forKey: .base64)
    }
}

/// `Tests/crosscheck/published_examples.json`: the pages and SDKs, and their examples.
struct PublishedExampleFile: Decodable {
    struct Source: Decodable {
        var url: String
        var about: String
    }

    var sources: [String: Source]
    var examples: [PublishedExample]

    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("crosscheck/published_examples.json")

    static func load() throws -> PublishedExampleFile {
        try JSONDecoder().decode(PublishedExampleFile.self, from: Data(contentsOf: self.url))
    }
}

/// Our normalization and hashing reproduce every published example byte for byte.
struct IdentifierPublishedExampleTests {
    static let normalizer = try! IdentifierNormalizer()

    /// The file holds every page's examples (24 when written), each naming a source it lists.
    @Test func fileIsComplete() throws {
        let file = try PublishedExampleFile.load()
        #expect(file.examples.count >= 24)
        #expect(file.examples.filter { $0.hex != nil }.count >= 11)
        #expect(Set(file.examples.map(\.source)) == Set(file.sources.keys))
        #expect(Set(file.sources.keys) == ["uid2", "google_guide", "google_utility", "meta", "snap", "x_ads"])
    }

    @Test(arguments: try PublishedExampleFile.load().examples)
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

    /// google_utility: test_format_email_address_invalid_inputs and test_format_phone_number_invalid_inputs.
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
