internal import COpenSSL

/// SHA-256 (FIPS 180-4) over OpenSSL's EVP interface.
///
/// For data that arrives in pieces, use ``SHA256Hasher``. SHA-256 accepts every input, so hashing does not
/// throw; it traps when OpenSSL offers no SHA-256, which ``CryptoSelfTest/run()`` reports as an error first
/// (so only after a failed or skipped self-test), or when memory runs out.
public enum SHA256 {
    /// The length of a digest in bytes.
    public static let byteCount = 32

    /// Returns the SHA-256 digest of `message`.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { Self.hash(bufferPointer: $0) }
    }

    /// Returns the SHA-256 digest of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> [UInt8] {
        Self.hash(Array(text.utf8))
    }

    /// Returns the SHA-256 digest of the bytes in `buffer`.
    public static func hash(bufferPointer buffer: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.byteCount) { digest, initialized in
            Self.hash(buffer, into: UnsafeMutableRawBufferPointer(digest))
            initialized = Self.byteCount
        }
    }

    /// Writes the SHA-256 digest of the bytes in `buffer` into `digest`, which must hold 32 bytes: no array is
    /// made, for hashing many short values.
    public static func hash(_ buffer: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count == Self.byteCount, "a SHA-256 digest is 32 bytes")
        var length: UInt32 = 0
        // With SHA-256 fetched (checked by the self-test), EVP_Digest fails only when out of memory.
        let result = EVP_Digest(
            buffer.baseAddress, buffer.count, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), &length,
            FetchedAlgorithms.shared.requiredSHA256, nil
        )
        precondition(result == 1 && length == Self.byteCount, "EVP_Digest(SHA-256) failed: out of memory")
    }
}
