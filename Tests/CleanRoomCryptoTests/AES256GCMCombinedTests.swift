@testable import CleanRoomCrypto
import Testing

/// The in-place combined path that ``DataKey`` and ``Keyring`` use must agree byte for byte with
/// ``AES256GCM/seal(_:key:nonce:authenticating:)`` and ``AES256GCM/SealedBox/combined``.
struct AES256GCMCombinedTests {
    static let context = Array("subject 9 phone".utf8)

    @Test func interoperatesWithTheSealedBoxForm() throws {
        let key = try SymmetricKey.generate()
        for plaintext in RoundTripInputs.make(count: 50, seed: 21) {
            let combined = try AES256GCM.sealCombined(plaintext, key: key, authenticating: Self.context)
            #expect(combined.count == plaintext.count + 28)
            let box = try AES256GCM.SealedBox(combined: combined)
            #expect(try AES256GCM.open(box, key: key, authenticating: Self.context) == plaintext)
            let boxed = try AES256GCM.seal(plaintext, key: key, authenticating: Self.context).combined
            #expect(try AES256GCM.openCombined(boxed, key: key, authenticating: Self.context) == plaintext)
        }
    }

    @Test func opensThePublishedVectorInPlace() throws {
        let vector = AES256GCMTests.vectors[3]
        let key = try SymmetricKey(bytes: vector.key)
        let combined = vector.nonce + vector.ciphertext + vector.tag
        let opened = try AES256GCM.openCombined(combined, key: key, authenticating: vector.associatedData)
        #expect(opened == vector.plaintext)
    }

    @Test func noncesAreFreshEachTime() throws {
        let key = try SymmetricKey.generate()
        let first = try AES256GCM.sealCombined([1, 2, 3], key: key, authenticating: [])
        let second = try AES256GCM.sealCombined([1, 2, 3], key: key, authenticating: [])
        #expect(first.prefix(12) != second.prefix(12))
    }

    /// One flipped bit in the nonce, the ciphertext or the tag.
    @Test(arguments: [0, 11, 12, 20, 31, 32, 47])
    func anyFlippedBitFailsAuthentication(position: Int) throws {
        let key = try SymmetricKey.generate()
        var combined = try AES256GCM.sealCombined(Array(repeating: 0x41, count: 20), key: key, authenticating: [])
        combined[position] ^= 0x04
        let error = #expect(throws: CryptoError.self) {
            try AES256GCM.openCombined(combined, key: key, authenticating: [])
        }
        #expect(error?.code == .authenticationFailure)
    }

    @Test(arguments: [0, 12, 27])
    func tooShortThrowsInvalidLength(_ length: Int) throws {
        let key = try SymmetricKey.generate()
        let error = #expect(throws: CryptoError.self) {
            try AES256GCM.openCombined([UInt8](repeating: 0, count: length), key: key, authenticating: [])
        }
        #expect(error?.code == .invalidLength)
    }
}
