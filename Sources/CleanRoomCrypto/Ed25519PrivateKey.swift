internal import COpenSSL

/// An Ed25519 signing key (RFC 8032), as used for the audit log's signed checkpoints.
///
/// Its ``rawRepresentation`` is the 32-byte seed of RFC 8032 ("SECRET KEY" in its test vectors).
/// Signing is deterministic: one key and one message always give the same signature.
/// The seed never appears in `description` or a mirror.
public struct Ed25519PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The length of the seed in bytes.
    public static let byteCount = 32
    /// The length of a signature in bytes.
    public static let signatureByteCount = 64

    private let key: EVPKey
    /// The 32-byte seed.
    public let rawRepresentation: [UInt8]
    /// The matching verification key.
    public let publicKey: Ed25519PublicKey

    /// Creates the key whose seed is `rawRepresentation`.
    ///
    /// - Throws: ``CryptoError/Code/invalidLength`` when the seed is not 32 bytes,
    ///   ``CryptoError/Code/invalidKey`` when OpenSSL refuses it.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == Self.byteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "an Ed25519 private key seed must be \(Self.byteCount) bytes, not \(rawRepresentation.count)"
            )
        }
        guard let pointer = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, rawRepresentation, Self.byteCount)
        else {
            throw OpenSSLErrorQueue.error(.invalidKey, "OpenSSL refused the Ed25519 private key")
        }
        try self.init(key: EVPKey(taking: pointer), seed: rawRepresentation)
    }

    private init(key: EVPKey, seed: [UInt8]) throws {
        self.key = key
        self.rawRepresentation = seed
        self.publicKey = try Ed25519PublicKey(rawRepresentation: key.rawPublicKey())
    }

    /// Returns a new random key.
    ///
    /// - Throws: ``CryptoError`` when OpenSSL cannot generate a key (no random bytes).
    public static func generate() throws -> Ed25519PrivateKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "EVP_PKEY_CTX_new_id(Ed25519) failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var pointer: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &pointer) == 1, let pointer else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "Ed25519 key generation failed")
        }
        let key = EVPKey(taking: pointer)
        return try Ed25519PrivateKey(key: key, seed: key.rawPrivateKey())
    }

    /// Returns the 64-byte Ed25519 signature of `message` (PureEdDSA: the message is not pre-hashed).
    ///
    /// - Throws: ``CryptoError/Code/openSSLFailure`` when OpenSSL fails (out of memory).
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally with SHA-512, so the digest argument must be NULL.
        guard EVP_DigestSignInit(context, nil, nil, nil, self.key.pointer) == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "Ed25519 signing could not start")
        }
        var signature = [UInt8](repeating: 0, count: Self.signatureByteCount)
        var length = Self.signatureByteCount
        let result = message.withUnsafeBytes { input in
            EVP_DigestSign(
                context, &signature, &length, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count
            )
        }
        guard result == 1, length == Self.signatureByteCount else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "Ed25519 signing failed")
        }
        return signature
    }

    /// A redacted description: the seed never appears.
    public var description: String {
        "Ed25519PrivateKey(<redacted>, public: \(Hex.encode(self.publicKey.rawRepresentation)))"
    }

    /// A redacted description: the seed never appears.
    public var debugDescription: String { self.description }

    /// A mirror without children, so `dump` shows no key material.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
