import CleanRoomCrypto
import CleanRoomTestSupport
import Testing

/// Round-trip properties over seeded random inputs of length 0 to 512 (and every block edge).
struct RoundTripPropertyTests {
    @Test func aesGCMOpensWhatItSeals() throws {
        let key = try SymmetricKey.generate()
        let inputs = RoundTripInputs.make(seed: 1)
        for (index, plaintext) in inputs.enumerated() {
            let associatedData = inputs[(index + 7) % inputs.count]
            let box = try AES256GCM.seal(plaintext, key: key, authenticating: associatedData)
            #expect(box.ciphertext.count == plaintext.count)
            #expect(box.combined.count == plaintext.count + 28)
            let reread = try AES256GCM.SealedBox(combined: box.combined)
            #expect(reread == box)
            #expect(try AES256GCM.open(reread, key: key, authenticating: associatedData) == plaintext)
        }
    }

    @Test func aesGCMRejectsEveryFlippedBit() throws {
        let key = try SymmetricKey.generate()
        var generator = SplitMix64(seed: 2)
        for plaintext in RoundTripInputs.make(count: 50, seed: 3) {
            var combined = try AES256GCM.seal(plaintext, key: key).combined
            let position = Int.random(in: 0..<combined.count, using: &generator)
            combined[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
            let error = #expect(throws: CryptoError.self) {
                try AES256GCM.open(AES256GCM.SealedBox(combined: combined), key: key)
            }
            #expect(error?.code == .authenticationFailure)
        }
    }

    @Test func incrementalSHA256EqualsOneShotAtEverySplit() {
        var generator = SplitMix64(seed: 4)
        for message in RoundTripInputs.make(seed: 5) {
            let split = Int.random(in: 0...message.count, using: &generator)
            var hasher = SHA256Hasher()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == SHA256.hash(message))
        }
    }

    @Test func hexDecodesWhatItEncodes() {
        for bytes in RoundTripInputs.make(seed: 6) {
            let text = Hex.encode(bytes)
            #expect(text.count == bytes.count * 2)
            #expect(Hex.decode(text) == bytes)
            #expect(Hex.decode(text.uppercased()) == bytes)
        }
    }

    @Test func ed25519VerifiesWhatItSigns() throws {
        let key = try Ed25519PrivateKey.generate()
        let publicKey = try Ed25519PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        for message in RoundTripInputs.make(count: 60, seed: 7) {
            let signature = try key.signature(for: message)
            #expect(publicKey.isValidSignature(signature, for: message))
            #expect(!publicKey.isValidSignature(signature, for: message + [1]))
        }
    }

    @Test func hkdfOutputsArePrefixesOfLongerOutputs() throws {
        var generator = SplitMix64(seed: 8)
        for inputKeyMaterial in RoundTripInputs.make(count: 40, seed: 9) {
            let salt = generator.bytes(count: Int.random(in: 0...64, using: &generator))
            let info = generator.bytes(count: Int.random(in: 0...64, using: &generator))
            let long = try HKDFSHA256.deriveKey(
                inputKeyMaterial: inputKeyMaterial, salt: salt, info: info, outputByteCount: 100
            )
            let short = try HKDFSHA256.deriveKey(
                inputKeyMaterial: inputKeyMaterial, salt: salt, info: info, outputByteCount: 33
            )
            #expect(Array(long.prefix(33)) == short)
        }
    }
}
