/// A 256-bit secret key for AES-256-GCM or HMAC-SHA256.
///
/// Its bytes never appear in `description`, `debugDescription` or a mirror, so a key that ends up in
/// a log line or a test failure message does not leak. Two keys compare equal in constant time.
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The length of a key in bytes.
    public static let byteCount = 32

    /// The key material; internal so that only this module's algorithms read it.
    let bytes: [UInt8]

    /// Creates a key from exactly ``byteCount`` bytes.
    ///
    /// - Throws: ``CryptoError/Code/invalidLength`` when `bytes` is not 32 bytes long.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "a symmetric key must be \(Self.byteCount) bytes, not \(bytes.count)"
            )
        }
        self.bytes = bytes
    }

    /// Returns a new random key.
    ///
    /// - Throws: ``CryptoError/Code/randomUnavailable`` when no random bytes can be had.
    public static func generate() throws -> SymmetricKey {
        try SymmetricKey(bytes: SecureRandom.bytes(count: Self.byteCount))
    }

    /// Calls `body` with the key's bytes, for exporting the key to another system.
    ///
    /// The buffer is valid only for the duration of the call; do not keep or log it.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try self.bytes.withUnsafeBytes(body)
    }

    /// Compares two keys in constant time.
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
        ConstantTime.isEqual(lhs.bytes, rhs.bytes)
    }

    /// A redacted description: the key's bytes never appear.
    public var description: String { "SymmetricKey(<redacted>)" }

    /// A redacted description: the key's bytes never appear.
    public var debugDescription: String { self.description }

    /// A mirror without children, so `dump` shows no key material.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
