import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Testing

struct MatchHashTests {
    /// SHA-256 of `janesaoirse@gmail.com`, whose Base64 form holds `+` and `/`.
    static let hash = MatchHash(normalized: "JANESaoirse@gmail.com")
    static let hex = "5692d7129e4dd5b8ff5755b38e066c0be15fb98767b403b2c125483b4d050ff1"
    static let base64 = "VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/E="

    @Test(arguments: [
        hex, hex.uppercased(), "5692D7129e4dd5b8ff5755b38e066c0be15fb98767b403b2c125483b4d050FF1",
        base64, "VpLXEp5N1bj_V1WzjgZsC-FfuYdntAOywSVIO00FD_E=", "  \(hex)\n", "\u{00A0}\(base64)\t",
    ])
    func acceptsTransportForms(_ text: String) throws {
        #expect(try MatchHash(transport: text) == Self.hash)
    }

    @Test(arguments: [
        "", String(hex.dropLast()), hex + "0", String(hex.dropLast()) + "g", String(hex.dropLast(2)),
        String(base64.dropLast()), base64 + "=", "VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/F=",
        "VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD/EA", "VpLXEp5N1bj*V1WzjgZsC+FfuYdntAOywSVIO00FD/E=",
        "VpLXEp5N1bj=V1WzjgZsC+FfuYdntAOywSVIO00FD/E=", "VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD===",
        "\(hex) \(hex)",
        // Both Base64 alphabets in one string: `/` and `+` with `_`, `-` with `/`.
        "VpLXEp5N1bj/V1WzjgZsC-FfuYdntAOywSVIO00FD/E=", "VpLXEp5N1bj_V1WzjgZsC+FfuYdntAOywSVIO00FD_E=",
        "VpLXEp5N1bj/V1WzjgZsC+FfuYdntAOywSVIO00FD_E=",
    ])
    func rejectsOtherText(_ text: String) {
        #expect(rejectionCode { _ = try MatchHash(transport: text) } == "invalid_hash")
    }

    @Test func rejectionNamesFieldNotValue() {
        do {
            _ = try MatchHash(transport: String(Self.hex.dropLast()))
            Issue.record("accepted 63 characters")
        } catch {
            #expect(error.field == "match_hash")
            #expect(!error.message.contains(String(Self.hex.prefix(8))))
            #expect(!error.description.contains(String(Self.hex.prefix(8))))
        }
    }

    @Test func encodings() {
        #expect(Self.hash.hex == Self.hex)
        #expect(Self.hash.base64 == Self.base64)
        #expect(Self.hash.bytes.count == 32)
    }

    /// Our Base64 agrees with Foundation's on many hashes, and every encoding decodes back.
    @Test func base64AgreesWithFoundation() throws {
        for index in 0..<500 {
            let hash = MatchHash(normalized: "value \(index)")
            #expect(hash.base64 == Data(hash.bytes).base64EncodedString())
            #expect(try MatchHash(transport: hash.base64) == hash)
            #expect(try MatchHash(transport: hash.hex.uppercased()) == hash)
        }
    }

    /// Expected values from `openssl dgst -sha256 -mac HMAC -macopt hexkey:…` over the 32 hash bytes of
    /// `user@example.com`.
    @Test func pseudonymIsHMACOfTheHashBytes() throws {
        let hash = MatchHash(normalized: "user@example.com")
        let bytes = (0..<32).map { UInt8($0) }
        let key = try SymmetricKey(bytes: bytes)
        let otherKey = try SymmetricKey(bytes: [0xFF] + bytes.dropFirst())
        #expect(Hex.encode(hash.pseudonym(matchKey: key).bytes)
            == "abadde0793a407cd4b6c76ac0f63f3891462db60e4ce2947371d5a6c0ac11956")
        #expect(Hex.encode(hash.pseudonym(matchKey: otherKey).bytes)
            == "2517116a4e775db1d29b2eb95972f41765b2f0d5449caa268b1795a7c08b9132")
        #expect(hash.pseudonym(using: HMACSHA256.Authenticator(key: key)) == hash.pseudonym(matchKey: key))

        // Written into a buffer, with one session for a run of values: the same bytes.
        let session = HMACSHA256.Authenticator(key: key).session()
        var written = [UInt8](repeating: 0, count: Pseudonym.byteCount)
        for value in ["user@example.com", "other@example.com", "user@example.com", "Ünïcode@example.com"] {
            written.withUnsafeMutableBytes { MatchHash.writePseudonym(ofNormalized: value, using: session, into: $0) }
            #expect(written == MatchHash(normalized: value).pseudonym(matchKey: key).bytes)
        }
        #expect(Hex.encode(written) != "abadde0793a407cd4b6c76ac0f63f3891462db60e4ce2947371d5a6c0ac11956")
        written.withUnsafeMutableBytes {
            MatchHash.writePseudonym(ofNormalized: "user@example.com", using: session, into: $0)
        }
        #expect(Hex.encode(written) == "abadde0793a407cd4b6c76ac0f63f3891462db60e4ce2947371d5a6c0ac11956")
    }

    @Test func descriptionIsRedacted() {
        #expect("\(Self.hash)" == "MatchHash(redacted)")
        #expect(String(reflecting: Self.hash) == "MatchHash(redacted)")
    }
}

/// `dump`, `debugDescription` and `description` of the redacted types show no byte, no digit of their value.
struct IdentifierRedactionTests {
    /// What `dump`, `debugDescription`, `description` and string interpolation show of `value`.
    static func renderings(of value: some CustomStringConvertible & CustomDebugStringConvertible) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [dumped, value.debugDescription, value.description, "\(value)", String(reflecting: value)]
    }

    /// Whether `text` holds any byte of `bytes` as a decimal or hexadecimal number, or the whole value in hex.
    static func leaks(_ bytes: [UInt8], in text: String) -> Bool {
        text.contains(where: \.isNumber) || text.lowercased().contains(Hex.encode(bytes))
    }

    @Test func matchHash() {
        let hash = MatchHash(normalized: "jane.doe@example.com")
        for text in Self.renderings(of: hash) {
            #expect(!Self.leaks(hash.bytes, in: text), "\(text)")
            #expect(text.contains("MatchHash(redacted)"))
        }
    }

    @Test func pseudonym() throws {
        let pseudonym = MatchHash(normalized: "jane.doe@example.com").pseudonym(matchKey: try SymmetricKey.generate())
        for text in Self.renderings(of: pseudonym) {
            #expect(!Self.leaks(pseudonym.bytes, in: text), "\(text)")
            #expect(text.contains("Pseudonym(redacted)"))
        }
    }

    @Test func subjectID() {
        let subject = SubjectID(4_815_162_342)
        for text in Self.renderings(of: subject) {
            #expect(!text.contains { $0.isNumber }, "\(text)")
            #expect(text.contains("SubjectID(redacted)"))
        }
    }
}
