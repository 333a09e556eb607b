import CleanRoomCore
import CleanRoomCrypto
@testable import CleanRoomIngest
import CleanRoomStore
import Testing

/// The layout that encodes an identifier's variants once per kind gives what encoding them one by one gives.
struct VariantLayoutTests {
    static let identifiers: [(IdentifierKind, String)] = [
        (.email, "Jane.Doe+news@gmail.com"), (.email, "jane@example.org"), (.email, " J.Doe@GoogleMail.com "),
        (.phone, "+49 30 1234567"), (.phone, "+1 (650) 253-0000"), (.deviceID, "45E76CA7-99DD-449F-8A4F-762B8938B0C0"),
        (.customerID, " c-0000001 "),
    ]

    @Test(arguments: identifiers)
    func layoutEncodesAsTheVariantsOneByOne(_ kind: IdentifierKind, _ raw: String) throws {
        let normalizer = try IdentifierNormalizer(defaultRegion: "DE")
        let matchKey = HMACSHA256.Authenticator(key: Array("match key".utf8))
        let hashes = try normalizer.matchHashes(kind: kind, raw: raw)
        let pseudonyms = hashes.map { $0.hash.pseudonym(using: matchKey) }
        let oneByOne = zip(hashes, pseudonyms).flatMap { hash, pseudonym in
            hash.rules.map { StoredIdentifier.Variant(name: $0.description, pseudonym: pseudonym) }
        }
        let expected = try StoredIdentifier.EncodedVariants(oneByOne)
        let canonical = try #require(zip(hashes, pseudonyms).first { $0.0.isCanonical }?.1)

        // One session for several identifiers in a row, as a chunk of rows uses it.
        let session = matchKey.session()
        for _ in 0..<2 {
            let (variants, key) = try VariantLayout(of: kind).encode(
                raw, region: nil, normalizer: normalizer, matchKey: session)
            #expect(variants == expected)
            #expect(key == IdentityIndex.Key(canonical, kind: kind))
            #expect(key.suppressionKey(kind: kind) == IdentityIndex.Key(canonical))
        }
        #expect(expected.names.split(separator: ",").count == NormalizationRule.all(of: kind).count)
    }

    @Test func anIdentifierNoRuleNormalizesIsRefused() throws {
        let normalizer = try IdentifierNormalizer(defaultRegion: "DE")
        let session = HMACSHA256.Authenticator(key: Array("match key".utf8)).session()
        for (kind, raw) in [(IdentifierKind.email, "not an address"), (.email, "+x@gmail.com"), (.phone, "12")] {
            #expect(throws: IdentifierError.self) {
                try VariantLayout(of: kind).encode(raw, region: nil, normalizer: normalizer, matchKey: session)
            }
        }
    }

    @Test func replacingPseudonymsWantsOnePerName() throws {
        let pseudonym = try #require(Pseudonym(bytes: [UInt8](repeating: 7, count: Pseudonym.byteCount)))
        let encoded = try StoredIdentifier.EncodedVariants([
            .init(name: "email/basic", pseudonym: pseudonym), .init(name: "email/google", pseudonym: pseudonym),
        ])
        let other = [UInt8](repeating: 9, count: 2 * Pseudonym.byteCount)
        let replaced = try encoded.replacingPseudonyms(other)
        #expect(replaced.names == "email/basic,email/google")
        #expect(replaced.pseudonyms == other)
        #expect(throws: StoreError.self) { try encoded.replacingPseudonyms(Array(other.prefix(Pseudonym.byteCount))) }
    }
}
