import Testing

@testable import CleanRoomCrypto

/// Sealing many values under one expanded key gives what sealing each on its own gives.
struct KeyedSealingTests {
    /// The published vectors, one after another through one sealer per key: starting a message again with only a
    /// nonce must leave nothing of the message before it.
    @Test func aKeyedSealerMatchesThePublishedVectorsMessageAfterMessage() throws {
        for vector in AES256GCMTests.vectors {
            let sealer = try AES256GCM.KeyedSealer(key: try SymmetricKey(bytes: vector.key))
            for _ in 0..<3 {
                var ciphertext = [UInt8](repeating: 0, count: vector.plaintext.count)
                var tag = [UInt8](repeating: 0, count: AES256GCM.tagByteCount)
                try vector.nonce.withUnsafeBufferPointer { nonce in
                    try ciphertext.withUnsafeMutableBufferPointer { ciphertext in
                        try tag.withUnsafeMutableBufferPointer { tag in
                            try sealer.encrypt(
                                vector.plaintext, nonce: nonce, associatedData: vector.associatedData,
                                ciphertext: ciphertext, tag: tag)
                        }
                    }
                }
                #expect(ciphertext == vector.ciphertext, "\(vector.testDescription)")
                #expect(tag == vector.tag, "\(vector.testDescription)")
            }
        }
    }

    @Test func aDataKeySealerSealsAsTheDataKeyDoes() throws {
        let dataKey = try DataKey.generate()
        let sealer = try dataKey.sealer()
        var seen: Set<[UInt8]> = []
        for length in [0, 1, 15, 16, 17, 64, 300] {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let context = Array("subject:\(length)|email".utf8)
            let sealed = try sealer.seal(plaintext, context: context)
            #expect(sealed.count == plaintext.count + 28)
            #expect(try dataKey.open(sealed, context: context) == plaintext)
            #expect(throws: CryptoError.self) { try dataKey.open(sealed, context: context + [0]) }
            #expect(seen.insert(Array(sealed.prefix(AES256GCM.nonceByteCount))).inserted, "a fresh nonce each time")
        }
    }

    @Test func aWrapperWrapsAsTheKeyringDoes() throws {
        try withTemporaryKeysDirectory { directory in
            try Keyring.create(in: directory)
            let keyring = try Keyring.open(in: directory)
            let wrapper = try keyring.wrapper()
            for subject in 1...3 {
                let dataKey = try DataKey.generate()
                let context = Array("subject:\(subject)".utf8)
                let wrapped = try wrapper.wrap(dataKey, context: context)
                #expect(wrapped.keyEncryptionKeyVersion == keyring.currentKeyEncryptionKeyVersion)
                #expect(try keyring.unwrap(wrapped, context: context) == dataKey)
                #expect(throws: CryptoError.self) { try keyring.unwrap(wrapped, context: context + [1]) }
            }
        }
    }
}
