/// A subject's data key: 32 random bytes that seal that subject's identifiers with AES-256-GCM.
///
/// A data key is stored only wrapped (``Keyring/wrap(_:context:)``), so destroying the wrapped copy
/// destroys every identifier it sealed (crypto-shredding). Its bytes never appear in `description`,
/// `debugDescription` or a mirror; two keys compare equal in constant time.
public struct DataKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    /// Returns a new random data key.
    ///
    /// - Throws: ``CryptoError/Code/randomUnavailable`` when no random bytes can be had.
    public static func generate() throws -> DataKey {
        try DataKey(key: SymmetricKey.generate())
    }

    /// Seals `plaintext` (for example a raw identifier) and returns nonce ‖ ciphertext ‖ tag.
    ///
    /// - Parameter context: Bytes bound to the result as associated data, such as the subject and the
    ///   identifier kind; ``open(_:context:)`` needs exactly the same bytes, so a sealed value cannot be
    ///   moved to another subject or field unnoticed.
    public func seal(_ plaintext: [UInt8], context: [UInt8]) throws -> [UInt8] {
        try AES256GCM.sealCombined(plaintext, key: self.key, authenticating: context)
    }

    /// A sealer of several values under this key, which OpenSSL expands once for all of them: for the
    /// identifiers a person arrives with. Not for use by two threads at once.
    public func sealer() throws -> Sealer {
        Sealer(sealer: try AES256GCM.KeyedSealer(key: self.key))
    }

    /// Seals values as ``DataKey/seal(_:context:)`` does, under the key it was made from.
    public struct Sealer {
        let sealer: AES256GCM.KeyedSealer

        /// `plaintext` sealed and bound to `context`, as ``DataKey/seal(_:context:)`` gives it.
        public func seal(_ plaintext: [UInt8], context: [UInt8]) throws -> [UInt8] {
            try self.sealer.sealCombined(plaintext, authenticating: context)
        }
    }

    /// Opens what ``seal(_:context:)`` returned.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailure`` when `sealed` was altered, the context differs
    ///   or the key is another; ``CryptoError/Code/invalidLength`` when `sealed` is shorter than 28 bytes.
    public func open(_ sealed: [UInt8], context: [UInt8]) throws -> [UInt8] {
        try AES256GCM.openCombined(sealed, key: self.key, authenticating: context)
    }

    /// Compares two keys in constant time.
    public static func == (lhs: DataKey, rhs: DataKey) -> Bool {
        lhs.key == rhs.key
    }

    /// A redacted description: the key's bytes never appear.
    public var description: String { "DataKey(<redacted>)" }

    /// A redacted description: the key's bytes never appear.
    public var debugDescription: String { self.description }

    /// A mirror without children, so `dump` shows no key material.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
