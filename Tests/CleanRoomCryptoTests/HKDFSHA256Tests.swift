import CleanRoomCrypto
import Testing

struct HKDFSHA256Tests {
    /// RFC 5869 appendix A test cases 1 to 3 (the SHA-256 ones).
    struct Vector: Sendable, CustomTestStringConvertible {
        var number: Int
        var inputKeyMaterial: [UInt8]
        var salt: [UInt8]
        var info: [UInt8]
        var length: Int
        var pseudoRandomKey: String
        var outputKeyMaterial: String
        var testDescription: String { "RFC 5869 test case \(self.number)" }
    }

    static let vectors: [Vector] = [
        Vector(
            number: 1,
            inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22),
            salt: bytes("000102030405060708090a0b0c"),
            info: bytes("f0f1f2f3f4f5f6f7f8f9"),
            length: 42,
            pseudoRandomKey: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            outputKeyMaterial: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        ),
        Vector(
            number: 2,
            inputKeyMaterial: (0x00...0x4f).map { UInt8($0) },
            salt: (0x60...0xaf).map { UInt8($0) },
            info: (0xb0...0xff).map { UInt8($0) },
            length: 82,
            pseudoRandomKey: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
            outputKeyMaterial: """
                b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
                59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
                cc30c58179ec3e87c14c01d5c1f3434f1d87
                """
        ),
        Vector(
            number: 3,
            inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22),
            salt: [],
            info: [],
            length: 42,
            pseudoRandomKey: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            outputKeyMaterial: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
        ),
    ]

    @Test(arguments: vectors)
    func deriveKeyMatchesRFC5869(_ vector: Vector) throws {
        let output = try HKDFSHA256.deriveKey(
            inputKeyMaterial: vector.inputKeyMaterial, salt: vector.salt, info: vector.info,
            outputByteCount: vector.length
        )
        #expect(output == bytes(vector.outputKeyMaterial))
    }

    @Test(arguments: vectors)
    func extractThenExpandMatchesRFC5869(_ vector: Vector) throws {
        let pseudoRandomKey = try HKDFSHA256.extract(inputKeyMaterial: vector.inputKeyMaterial, salt: vector.salt)
        #expect(pseudoRandomKey == bytes(vector.pseudoRandomKey))
        let output = try HKDFSHA256.expand(
            pseudoRandomKey: pseudoRandomKey, info: vector.info, outputByteCount: vector.length
        )
        #expect(output == bytes(vector.outputKeyMaterial))
    }

    /// RFC 5869: a salt that is not provided is a string of 32 zero bytes.
    @Test func emptySaltEqualsZeroSalt() throws {
        let inputKeyMaterial = Array("input".utf8)
        let empty = try HKDFSHA256.deriveKey(inputKeyMaterial: inputKeyMaterial, outputByteCount: 32)
        let zeros = try HKDFSHA256.deriveKey(
            inputKeyMaterial: inputKeyMaterial, salt: [UInt8](repeating: 0, count: 32), outputByteCount: 32
        )
        #expect(empty == zeros)
    }

    @Test func emptyInputKeyMaterialIsAccepted() throws {
        let output = try HKDFSHA256.deriveKey(inputKeyMaterial: [], info: Array("label".utf8), outputByteCount: 32)
        // HKDF-Extract of an empty IKM is HMAC(salt, ""), then one expansion block.
        let pseudoRandomKey = HMACSHA256.authenticationCode(for: [], key: [UInt8](repeating: 0, count: 32))
        let expected = HMACSHA256.authenticationCode(for: Array("label".utf8) + [0x01], key: pseudoRandomKey)
        #expect(output == expected)
    }

    @Test(arguments: [0, -1, HKDFSHA256.maximumOutputByteCount + 1])
    func outputLengthOutOfRangeThrows(_ length: Int) {
        #expect(throws: CryptoError.self) {
            try HKDFSHA256.deriveKey(inputKeyMaterial: [1, 2, 3], outputByteCount: length)
        }
        let error = #expect(throws: CryptoError.self) {
            try HKDFSHA256.expand(pseudoRandomKey: [UInt8](repeating: 7, count: 32), outputByteCount: length)
        }
        #expect(error?.code == .invalidLength)
    }

    @Test func maximumOutputLengthIsAccepted() throws {
        let output = try HKDFSHA256.deriveKey(
            inputKeyMaterial: [1, 2, 3], outputByteCount: HKDFSHA256.maximumOutputByteCount
        )
        #expect(output.count == 8160)
    }

    @Test func shortPseudoRandomKeyThrows() {
        let error = #expect(throws: CryptoError.self) {
            try HKDFSHA256.expand(pseudoRandomKey: [UInt8](repeating: 7, count: 31), outputByteCount: 32)
        }
        #expect(error?.code == .invalidLength)
    }
}
