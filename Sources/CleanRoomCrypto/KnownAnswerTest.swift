internal import COpenSSL

/// One known-answer test of ``CryptoSelfTest``: a published input, run through this module's own API, and
/// the published output it must give.
struct KnownAnswerTest: Sendable {
    /// The primitive and the source of the vector, as in `SHA-256 (FIPS 180-4 "abc")`.
    var name: String
    /// The published output, in lowercase hexadecimal.
    var expected: String
    /// Computes the output; throws when the primitive fails or a check beside the output (opening what was
    /// sealed, verifying what was signed) does.
    var compute: @Sendable () throws -> [UInt8]

    /// Runs the test, throwing a ``CryptoError/Code/selfTestFailure`` error that names it when it fails.
    func verify() throws {
        let actual: [UInt8]
        do {
            actual = try self.compute()
        } catch {
            throw CryptoError(code: .selfTestFailure, message: "the \(self.name) known-answer test failed: \(error)")
        }
        guard Hex.encode(actual) == self.expected else {
            throw CryptoError(
                code: .selfTestFailure,
                message: "the \(self.name) known-answer test gave a wrong result: \(Self.libraryVersion) or the "
                    + "provider the OpenSSL configuration activates is faulty; reinstall OpenSSL 3"
            )
        }
    }

    /// One test per primitive the module offers.
    static let all: [KnownAnswerTest] = [
        KnownAnswerTest(
            name: #"SHA-256 (FIPS 180-4 "abc")"#,
            expected: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            compute: { SHA256.hash("abc") }
        ),
        KnownAnswerTest(
            name: "HMAC-SHA256 (RFC 4231 test case 1)",
            expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            compute: {
                HMACSHA256.authenticationCode(for: Array("Hi There".utf8), key: [UInt8](repeating: 0x0b, count: 20))
            }
        ),
        KnownAnswerTest(
            // Twice over in one batch: the second code is right only when restarting a context keeps its key and
            // resets its state (OpenSSL before 3.0.3 did not, and gave wrong codes without an error).
            name: "HMAC-SHA256 in a batch (RFC 4231 test case 1, twice)",
            expected: String(repeating: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", count: 2),
            compute: {
                HMACSHA256.Authenticator(key: [UInt8](repeating: 0x0b, count: 20))
                    .authenticationCodes(ofMessagesIn: Array("Hi ThereHi There".utf8), messageLength: 8)
            }
        ),
        KnownAnswerTest(
            name: "HKDF-SHA256 (RFC 5869 test case 1)",
            expected: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
            compute: {
                try HKDFSHA256.deriveKey(
                    inputKeyMaterial: [UInt8](repeating: 0x0b, count: 22), salt: (0x00...0x0c).map { UInt8($0) },
                    info: (0xf0...0xf9).map { UInt8($0) }, outputByteCount: 42
                )
            }
        ),
        KnownAnswerTest(
            name: "AES-256-GCM (GCM specification test case 16)",
            expected: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                + "76fc6ece0f4e1768cddf8853bb2d551b",
            compute: {
                let key = try SymmetricKey(
                    bytes: vector("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
                )
                let plaintext = try vector(
                    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
                )
                let associatedData = try vector("feedfacedeadbeeffeedfacedeadbeefabaddad2")
                let box = try AES256GCM.seal(
                    plaintext, key: key, nonce: vector("cafebabefacedbaddecaf888"), authenticating: associatedData
                )
                guard try AES256GCM.open(box, key: key, authenticating: associatedData) == plaintext else {
                    throw CryptoError(code: .selfTestFailure, message: "opening did not give back the plaintext")
                }
                return box.ciphertext + box.tag
            }
        ),
        KnownAnswerTest(
            name: "Ed25519 (RFC 8032 TEST 1)",
            expected: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            compute: {
                let key = try Ed25519PrivateKey(
                    rawRepresentation: vector("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                )
                let publicKey = try Ed25519PublicKey(
                    rawRepresentation: vector("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
                )
                let signature = try key.signature(for: [])
                guard publicKey.isValidSignature(signature, for: []) else {
                    throw CryptoError(
                        code: .selfTestFailure, message: "the published public key rejected the signature"
                    )
                }
                return signature
            }
        ),
    ]

    /// The bytes of a hexadecimal test vector.
    private static func vector(_ hex: String) throws -> [UInt8] {
        guard let bytes = Hex.decode(hex) else {
            throw CryptoError(code: .selfTestFailure, message: "a test vector is not hexadecimal")
        }
        return bytes
    }

    /// The libcrypto version in use, as in `OpenSSL 3.0.19 27 Jan 2026`.
    private static var libraryVersion: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }
}
