internal import COpenSSL

/// HKDF with SHA-256 (RFC 5869): derives keys from input keying material, through OpenSSL's `EVP_KDF`.
///
/// ``deriveKey(inputKeyMaterial:salt:info:outputByteCount:)`` runs both steps; ``extract(inputKeyMaterial:salt:)``
/// and ``expand(pseudoRandomKey:info:outputByteCount:)`` run one each, for deriving several keys from one
/// extraction.
public enum HKDFSHA256 {
    /// The most bytes one expansion can produce: 255 blocks of 32 bytes (RFC 5869 section 2.3).
    public static let maximumOutputByteCount = 255 * SHA256.byteCount

    /// Returns `outputByteCount` bytes of output keying material: HKDF-Expand(HKDF-Extract(salt, IKM), info, L).
    ///
    /// - Parameters:
    ///   - inputKeyMaterial: The secret to derive from (IKM); may be empty.
    ///   - salt: A non-secret random value; empty means "not provided", which RFC 5869 defines as 32 zero bytes.
    ///   - info: Context binding the output to its use (for example a purpose label); may be empty.
    ///   - outputByteCount: The length L of the output, 1 through ``maximumOutputByteCount``.
    /// - Throws: ``CryptoError/Code/invalidLength`` for an output length out of range.
    public static func deriveKey(
        inputKeyMaterial: [UInt8], salt: [UInt8] = [], info: [UInt8] = [], outputByteCount: Int
    ) throws -> [UInt8] {
        try Self.checkOutputByteCount(outputByteCount)
        return try Self.derive(
            mode: EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, key: inputKeyMaterial, salt: salt, info: info,
            outputByteCount: outputByteCount
        )
    }

    /// Returns the 32-byte pseudorandom key PRK = HKDF-Extract(salt, IKM) (RFC 5869 section 2.2).
    public static func extract(inputKeyMaterial: [UInt8], salt: [UInt8] = []) throws -> [UInt8] {
        try Self.derive(
            mode: EVP_KDF_HKDF_MODE_EXTRACT_ONLY, key: inputKeyMaterial, salt: salt, info: [],
            outputByteCount: SHA256.byteCount
        )
    }

    /// Returns `outputByteCount` bytes of HKDF-Expand(PRK, info, L) (RFC 5869 section 2.3).
    ///
    /// - Parameters:
    ///   - pseudoRandomKey: A pseudorandom key of at least 32 bytes, usually the output of
    ///     ``extract(inputKeyMaterial:salt:)``.
    ///   - info: Context binding the output to its use; may be empty.
    ///   - outputByteCount: The length L of the output, 1 through ``maximumOutputByteCount``.
    /// - Throws: ``CryptoError/Code/invalidLength`` for a short key or an output length out of range.
    public static func expand(pseudoRandomKey: [UInt8], info: [UInt8] = [], outputByteCount: Int) throws -> [UInt8] {
        guard pseudoRandomKey.count >= SHA256.byteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "an HKDF pseudorandom key must be at least \(SHA256.byteCount) bytes, "
                    + "not \(pseudoRandomKey.count); extract one from the input keying material first"
            )
        }
        try Self.checkOutputByteCount(outputByteCount)
        return try Self.derive(
            mode: EVP_KDF_HKDF_MODE_EXPAND_ONLY, key: pseudoRandomKey, salt: [], info: info,
            outputByteCount: outputByteCount
        )
    }

    private static func checkOutputByteCount(_ count: Int) throws {
        guard (1...Self.maximumOutputByteCount).contains(count) else {
            throw CryptoError(
                code: .invalidLength,
                message: "HKDF-SHA256 output must be 1 to \(Self.maximumOutputByteCount) bytes, not \(count)"
            )
        }
    }

    private static func derive(
        mode: Int32, key: [UInt8], salt: [UInt8], info: [UInt8], outputByteCount: Int
    ) throws -> [UInt8] {
        let kdf = try FetchedAlgorithms.shared.requireHKDF()
        var output = [UInt8](repeating: 0, count: outputByteCount)
        let result = key.withUnsafeBytes { key in
            salt.withUnsafeBytes { salt in
                info.withUnsafeBytes { info in
                    COpenSSL_hkdf_sha256(
                        kdf, mode, &output, outputByteCount,
                        key.baseAddress, key.count, salt.baseAddress, salt.count, info.baseAddress, info.count
                    )
                }
            }
        }
        guard result == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "HKDF-SHA256 derivation failed")
        }
        return output
    }
}
