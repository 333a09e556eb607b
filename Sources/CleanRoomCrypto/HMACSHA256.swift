internal import COpenSSL

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) over OpenSSL.
public enum HMACSHA256 {
    /// The length of an authentication code in bytes.
    public static let byteCount = 32

    /// Returns HMAC-SHA256 of `message` under `key`.
    ///
    /// Every key length is valid, the empty key included: a key longer than the 64-byte block is hashed
    /// first, a shorter one is padded with zeros. The call fails only when memory cannot be allocated,
    /// where Swift itself would trap as well.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        guard let keyLength = Int32(exactly: key.count) else {
            // HMAC hashes a key longer than the block first (RFC 2104 section 3); OpenSSL takes an
            // `int` length, so do that step here for keys beyond its range.
            return Self.authenticationCode(for: message, key: SHA256.hash(key))
        }
        var mac = [UInt8](repeating: 0, count: Self.byteCount)
        var length: UInt32 = 0
        // OpenSSL reads a NULL key as "no key", so the empty key is passed as a real pointer with length 0.
        let keyBytes = key.isEmpty ? [0] : key
        let result = message.withUnsafeBytes { input in
            HMAC(
                FetchedAlgorithms.shared.requiredSHA256,
                keyBytes, keyLength,
                input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                &mac, &length
            )
        }
        precondition(result != nil && length == Self.byteCount, "HMAC(SHA-256) failed: out of memory")
        return mac
    }

    /// Returns HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: SymmetricKey) -> [UInt8] {
        Self.authenticationCode(for: message, key: key.bytes)
    }

    /// Tells whether `code` is the HMAC-SHA256 of `message` under `key`, comparing in constant time.
    ///
    /// A code of the wrong length is never valid.
    public static func isValidAuthenticationCode(_ code: [UInt8], for message: [UInt8], key: [UInt8]) -> Bool {
        ConstantTime.isEqual(code, Self.authenticationCode(for: message, key: key))
    }

    /// Tells whether `code` is the HMAC-SHA256 of `message` under `key`, comparing in constant time.
    public static func isValidAuthenticationCode(_ code: [UInt8], for message: [UInt8], key: SymmetricKey) -> Bool {
        Self.isValidAuthenticationCode(code, for: message, key: key.bytes)
    }
}
