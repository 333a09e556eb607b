internal import COpenSSL

/// HMAC-SHA256 (RFC 2104) over OpenSSL.
public enum HMACSHA256 {
    /// The length of an authentication code in bytes.
    public static let byteCount = 32

    /// Returns HMAC-SHA256 of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: Self.byteCount)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { input in
                HMAC(
                    EVP_sha256(),
                    keyBytes.baseAddress, Int32(keyBytes.count),
                    input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                    &mac, &length
                )
            }
        }
        precondition(result != nil && length == 32, "HMAC(SHA-256) failed")
        return mac
    }
}
