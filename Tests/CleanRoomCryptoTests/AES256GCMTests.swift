import CleanRoomCrypto
import Testing

struct AES256GCMTests {
    /// The AES-256 test cases 13 to 16 of McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)".
    struct Vector: Sendable, CustomTestStringConvertible {
        var number: Int
        var key: [UInt8]
        var plaintext: [UInt8]
        var associatedData: [UInt8]
        var nonce: [UInt8]
        var ciphertext: [UInt8]
        var tag: [UInt8]
        var testDescription: String { "GCM test case \(self.number)" }
    }

    static let vectors: [Vector] = [
        Vector(
            number: 13, key: [UInt8](repeating: 0, count: 32), plaintext: [], associatedData: [],
            nonce: [UInt8](repeating: 0, count: 12), ciphertext: [],
            tag: bytes("530f8afbc74536b9a963b4f1c4cb738b")
        ),
        Vector(
            number: 14, key: [UInt8](repeating: 0, count: 32), plaintext: [UInt8](repeating: 0, count: 16),
            associatedData: [], nonce: [UInt8](repeating: 0, count: 12),
            ciphertext: bytes("cea7403d4d606b6e074ec5d3baf39d18"),
            tag: bytes("d0d1c8a799996bf0265b98b5d48ab919")
        ),
        Vector(
            number: 15,
            key: bytes("feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308"),
            plaintext: bytes(
                """
                d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
                1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255
                """
            ),
            associatedData: [],
            nonce: bytes("cafebabefacedbaddecaf888"),
            ciphertext: bytes(
                """
                522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad
                """
            ),
            tag: bytes("b094dac5d93471bdec1a502270e3cc6c")
        ),
        Vector(
            number: 16,
            key: bytes("feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308"),
            plaintext: bytes(
                """
                d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
                1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b39
                """
            ),
            associatedData: bytes("feedfacedeadbeeffeedfacedeadbeef abaddad2"),
            nonce: bytes("cafebabefacedbaddecaf888"),
            ciphertext: bytes(
                """
                522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662
                """
            ),
            tag: bytes("76fc6ece0f4e1768cddf8853bb2d551b")
        ),
    ]

    @Test(arguments: vectors)
    func sealMatchesThePublishedCiphertextAndTag(_ vector: Vector) throws {
        let key = try SymmetricKey(bytes: vector.key)
        let box = try AES256GCM.seal(
            vector.plaintext, key: key, nonce: vector.nonce, authenticating: vector.associatedData
        )
        #expect(box.nonce == vector.nonce)
        #expect(box.ciphertext == vector.ciphertext)
        #expect(box.tag == vector.tag)
        #expect(box.combined == vector.nonce + vector.ciphertext + vector.tag)
    }

    @Test(arguments: vectors)
    func openRecoversThePublishedPlaintext(_ vector: Vector) throws {
        let key = try SymmetricKey(bytes: vector.key)
        let box = try AES256GCM.SealedBox(combined: vector.nonce + vector.ciphertext + vector.tag)
        #expect(try AES256GCM.open(box, key: key, authenticating: vector.associatedData) == vector.plaintext)
    }

    /// One way to spoil a sealed vector; every one must make `open` fail authentication.
    enum Tampering: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case ciphertextBit, tagBit, associatedDataBit, nonceBit, wrongKey, missingAssociatedData, truncatedTag
        var testDescription: String { self.rawValue }
    }

    @Test(arguments: Tampering.allCases)
    func tamperingFailsAuthentication(_ tampering: Tampering) throws {
        let vector = Self.vectors[3]  // test case 16: it has ciphertext and associated data to spoil
        var key = vector.key
        var nonce = vector.nonce
        var ciphertext = vector.ciphertext
        var tag = vector.tag
        var associatedData = vector.associatedData
        switch tampering {
        case .ciphertextBit: ciphertext[7] ^= 0x01
        case .tagBit: tag[15] ^= 0x80
        case .associatedDataBit: associatedData[0] ^= 0x01
        case .nonceBit: nonce[11] ^= 0x01
        case .wrongKey: key[0] ^= 0x01
        case .missingAssociatedData: associatedData = []
        case .truncatedTag: tag = Array(tag.prefix(12)) + [0, 0, 0, 0]
        }
        let box = try AES256GCM.SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
        let error = #expect(throws: CryptoError.self) {
            try AES256GCM.open(box, key: SymmetricKey(bytes: key), authenticating: associatedData)
        }
        #expect(error?.code == .authenticationFailure)
    }

    @Test func randomNoncesDifferAndRoundTrip() throws {
        let key = try SymmetricKey.generate()
        let plaintext = Array("identifier".utf8)
        let first = try AES256GCM.seal(plaintext, key: key)
        let second = try AES256GCM.seal(plaintext, key: key)
        #expect(first.nonce.count == AES256GCM.nonceByteCount)
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        #expect(try AES256GCM.open(first, key: key) == plaintext)
        #expect(try AES256GCM.open(AES256GCM.SealedBox(combined: second.combined), key: key) == plaintext)
    }

    @Test(arguments: [0, 8, 11, 13, 16])
    func nonceOfWrongLengthThrows(_ length: Int) throws {
        let key = try SymmetricKey.generate()
        let error = #expect(throws: CryptoError.self) {
            try AES256GCM.seal([1, 2, 3], key: key, nonce: [UInt8](repeating: 0, count: length))
        }
        #expect(error?.code == .invalidLength)
    }

    @Test(arguments: [0, 12, 27])
    func combinedShorterThanNonceAndTagThrows(_ length: Int) {
        let error = #expect(throws: CryptoError.self) {
            try AES256GCM.SealedBox(combined: [UInt8](repeating: 0, count: length))
        }
        #expect(error?.code == .invalidLength)
    }

    @Test func partsOfWrongLengthThrow() {
        #expect(throws: CryptoError.self) {
            try AES256GCM.SealedBox(nonce: [UInt8](repeating: 0, count: 12), ciphertext: [], tag: [1, 2, 3])
        }
        #expect(throws: CryptoError.self) {
            try AES256GCM.SealedBox(nonce: [1], ciphertext: [], tag: [UInt8](repeating: 0, count: 16))
        }
    }

    @Test func combinedOfJustNonceAndTagIsAnEmptyMessage() throws {
        let key = try SymmetricKey.generate()
        let box = try AES256GCM.seal([], key: key, authenticating: [9])
        #expect(box.combined.count == 28)
        #expect(try AES256GCM.open(AES256GCM.SealedBox(combined: box.combined), key: key, authenticating: [9]) == [])
    }
}
