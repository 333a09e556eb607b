/// A ``DataKey`` sealed under one version of the keyring's key-encryption key, safe to store.
///
/// ``sealed`` is the AES-256-GCM combined form (nonce ‖ encrypted key ‖ tag, 60 bytes). Its associated
/// data binds the key-encryption key version and the caller's context, so a wrapped key relabelled with
/// another version or presented for another subject fails to unwrap.
public struct WrappedDataKey: Sendable, Hashable {
    /// The length of ``sealed``: nonce, 32 encrypted key bytes and tag.
    public static let sealedByteCount = AES256GCM.nonceByteCount + SymmetricKey.byteCount + AES256GCM.tagByteCount
    /// The length of ``serialized``: a 4-byte version and ``sealed``.
    public static let serializedByteCount = 4 + Self.sealedByteCount

    /// The version of the key-encryption key (`kek-v<N>.key`) that wrapped the data key.
    public let keyEncryptionKeyVersion: Int
    /// The wrapped data key in AES-256-GCM combined form.
    public let sealed: [UInt8]

    /// Reassembles a wrapped key from its stored parts.
    ///
    /// - Throws: ``CryptoError/Code/invalidLength`` when `sealed` is not 60 bytes,
    ///   ``CryptoError/Code/invalidKey`` when the version is not 1 through 4,294,967,295.
    public init(keyEncryptionKeyVersion: Int, sealed: [UInt8]) throws {
        guard (1...KeyFileName.maximumKeyEncryptionVersion).contains(keyEncryptionKeyVersion) else {
            throw CryptoError(
                code: .invalidKey,
                message: "a key-encryption key version must be 1 to \(KeyFileName.maximumKeyEncryptionVersion), "
                    + "not \(keyEncryptionKeyVersion)"
            )
        }
        guard sealed.count == Self.sealedByteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "a wrapped data key must be \(Self.sealedByteCount) bytes, not \(sealed.count)"
            )
        }
        self.keyEncryptionKeyVersion = keyEncryptionKeyVersion
        self.sealed = sealed
    }

    /// One byte string for storage: the version as 4 big-endian bytes, then ``sealed`` (64 bytes).
    public var serialized: [UInt8] {
        Self.bigEndianBytes(of: UInt32(self.keyEncryptionKeyVersion)) + self.sealed
    }

    /// Reads the form written by ``serialized``.
    ///
    /// - Throws: ``CryptoError/Code/invalidLength`` when `serialized` is not 64 bytes,
    ///   ``CryptoError/Code/invalidKey`` when it holds version 0.
    public init(serialized: [UInt8]) throws {
        guard serialized.count == Self.serializedByteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "a serialized wrapped data key must be \(Self.serializedByteCount) bytes, "
                    + "not \(serialized.count)"
            )
        }
        let version = serialized.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        try self.init(keyEncryptionKeyVersion: version, sealed: Array(serialized.dropFirst(4)))
    }

    /// The associated data of a wrapping: a label, the version (4 bytes, big-endian) and the context.
    ///
    /// The label and the version have fixed lengths, so the encoding is unambiguous.
    static func associatedData(version: Int, context: [UInt8]) -> [UInt8] {
        Array("cleanroom wrapped data key v1".utf8) + [0] + Self.bigEndianBytes(of: UInt32(version)) + context
    }

    private static func bigEndianBytes(of value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
