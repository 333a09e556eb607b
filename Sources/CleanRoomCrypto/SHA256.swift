internal import COpenSSL

/// SHA-256 (FIPS 180-4) over OpenSSL's EVP interface.
public enum SHA256 {
    /// The length of a digest in bytes.
    public static let byteCount = 32

    /// Returns the SHA-256 digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.byteCount)
        var length: UInt32 = 0
        let ok = message.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        // EVP_Digest of SHA-256 fails only when memory cannot be allocated, as Swift itself would.
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        return digest
    }

    /// Returns the SHA-256 digest of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> [UInt8] {
        Self.hash(Array(text.utf8))
    }
}
