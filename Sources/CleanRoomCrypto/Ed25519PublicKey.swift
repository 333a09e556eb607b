internal import COpenSSL

/// An Ed25519 verification key (RFC 8032), 32 bytes.
public struct Ed25519PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The length of a public key in bytes.
    public static let byteCount = 32

    private let key: EVPKey
    /// The 32-byte encoded public key.
    public let rawRepresentation: [UInt8]

    /// Creates the key from its 32-byte encoding.
    ///
    /// - Throws: ``CryptoError/Code/invalidLength`` when `rawRepresentation` is not 32 bytes,
    ///   ``CryptoError/Code/invalidKey`` when OpenSSL refuses it.
    public init(rawRepresentation: [UInt8]) throws {
        guard rawRepresentation.count == Self.byteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "an Ed25519 public key must be \(Self.byteCount) bytes, not \(rawRepresentation.count)"
            )
        }
        guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, rawRepresentation, Self.byteCount)
        else {
            throw OpenSSLErrorQueue.error(.invalidKey, "OpenSSL refused the Ed25519 public key")
        }
        self.key = EVPKey(taking: pointer)
        self.rawRepresentation = rawRepresentation
    }

    /// Tells whether `signature` is a valid Ed25519 signature of `message` under this key.
    ///
    /// A signature of the wrong length, or any failure inside OpenSSL, counts as invalid.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == Ed25519PrivateKey.signatureByteCount, let context = EVP_MD_CTX_new() else {
            return false
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, self.key.pointer) == 1 else {
            OpenSSLErrorQueue.clear()
            return false
        }
        let result = message.withUnsafeBytes { input in
            EVP_DigestVerify(
                context, signature, signature.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count
            )
        }
        guard result == 1 else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return true
    }

    /// Compares the encoded keys.
    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// Hashes the encoded key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.rawRepresentation)
    }

    /// The key in hexadecimal; a public key is not secret.
    public var description: String { "Ed25519PublicKey(\(Hex.encode(self.rawRepresentation)))" }
}
