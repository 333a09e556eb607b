internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG, seeded by the operating system; small draws (keys,
/// nonces) come through ``RandomPool``.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// - Throws: ``CryptoError/Code/invalidLength`` for a negative count,
    ///   ``CryptoError/Code/randomUnavailable`` when OpenSSL cannot produce random bytes (an unseeded DRBG).
    public static func bytes(count: Int) throws -> [UInt8] {
        guard count >= 0 else {
            throw CryptoError(code: .invalidLength, message: "the count of random bytes must not be negative")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBufferPointer { try Self.fill($0) }
        return bytes
    }

    /// Fills `buffer` with random bytes.
    ///
    /// - Throws: ``CryptoError/Code/randomUnavailable`` when OpenSSL cannot produce random bytes.
    static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>) throws {
        if buffer.count <= RandomPool.largestServed {
            try RandomPool.current.fill(buffer)
            return
        }
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, Int(Int32.max))
            guard let base = buffer.baseAddress, RAND_bytes(base + offset, Int32(chunk)) == 1 else {
                throw OpenSSLErrorQueue.error(.randomUnavailable, "RAND_bytes could not produce random bytes")
            }
            offset += chunk
        }
    }
}
