internal import COpenSSL

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D): authenticated encryption with associated data.
///
/// ```swift
/// let key = try SymmetricKey.generate()
/// let box = try AES256GCM.seal(plaintext, key: key, authenticating: context)
/// let stored = box.combined                       // nonce ‖ ciphertext ‖ tag
/// let opened = try AES256GCM.open(AES256GCM.SealedBox(combined: stored), key: key, authenticating: context)
/// ```
///
/// Nonces are 96 bits and tags 128 bits. A nonce must never repeat under one key; leave it `nil` to get a
/// random one, which is safe for up to 2^32 messages per key.
public enum AES256GCM {
    /// The length of a nonce in bytes (96 bits).
    public static let nonceByteCount = 12
    /// The length of an authentication tag in bytes (128 bits).
    public static let tagByteCount = 16

    /// Encrypts and authenticates `plaintext`, and authenticates `associatedData` without encrypting it.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to encrypt; may be empty.
    ///   - key: The 256-bit key.
    ///   - nonce: A 12-byte nonce never used before with `key`; `nil` draws a random one.
    ///   - associatedData: Bytes bound to the ciphertext but not encrypted (a context such as a subject
    ///     or a purpose); opening needs exactly the same bytes.
    /// - Throws: ``CryptoError/Code/invalidLength`` for a nonce that is not 12 bytes or an input longer
    ///   than OpenSSL accepts in one call (2 GiB); ``CryptoError/Code/openSSLFailure`` when OpenSSL fails.
    public static func seal(
        _ plaintext: [UInt8], key: SymmetricKey, nonce: [UInt8]? = nil, authenticating associatedData: [UInt8] = []
    ) throws -> SealedBox {
        let nonce = try nonce ?? SecureRandom.bytes(count: Self.nonceByteCount)
        try Self.checkNonce(nonce)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: Self.tagByteCount)
        try nonce.withUnsafeBufferPointer { nonce in
            try ciphertext.withUnsafeMutableBufferPointer { ciphertext in
                try tag.withUnsafeMutableBufferPointer { tag in
                    try Self.encrypt(
                        plaintext, key: key, nonce: nonce, associatedData: associatedData, ciphertext: ciphertext,
                        tag: tag
                    )
                }
            }
        }
        return SealedBox(validatedNonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Checks the tag of `box` and returns its plaintext.
    ///
    /// - Parameters:
    ///   - box: What ``seal(_:key:nonce:authenticating:)`` returned, or its ``SealedBox/combined`` form read back.
    ///   - key: The key it was sealed with.
    ///   - associatedData: The associated data it was sealed with.
    /// - Throws: ``CryptoError/Code/authenticationFailure`` when the ciphertext, tag, nonce or associated data
    ///   was altered or the key is wrong (no plaintext is returned then);
    ///   ``CryptoError/Code/invalidLength`` for an input longer than 2 GiB.
    public static func open(
        _ box: SealedBox, key: SymmetricKey, authenticating associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        try box.nonce.withUnsafeBufferPointer { nonce in
            try box.ciphertext.withUnsafeBufferPointer { ciphertext in
                try box.tag.withUnsafeBufferPointer { tag in
                    try Self.decrypt(ciphertext, key: key, nonce: nonce, tag: tag, associatedData: associatedData)
                }
            }
        }
    }

    /// Encrypts `plaintext` into `ciphertext`, which is exactly as long, and writes the tag into `tag`
    /// (``tagByteCount`` bytes) — the buffers may be parts of one combined array.
    static func encrypt(
        _ plaintext: [UInt8], key: SymmetricKey, nonce: UnsafeBufferPointer<UInt8>, associatedData: [UInt8],
        ciphertext: UnsafeMutableBufferPointer<UInt8>, tag: UnsafeMutableBufferPointer<UInt8>
    ) throws {
        let context = try CipherContext()
        guard EVP_EncryptInit_ex2(context.pointer, try FetchedAlgorithms.shared.requireAES256GCM(), key.bytes,
                                  nonce.baseAddress, nil) == 1
        else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM encryption could not start")
        }
        try Self.encrypt(plaintext, in: context, associatedData: associatedData, ciphertext: ciphertext, tag: tag)
    }

    /// Encrypts with `context`, already started with its key and this message's nonce.
    fileprivate static func encrypt(
        _ plaintext: [UInt8], in context: borrowing CipherContext, associatedData: [UInt8],
        ciphertext: UnsafeMutableBufferPointer<UInt8>, tag: UnsafeMutableBufferPointer<UInt8>
    ) throws {
        let plaintextLength = try Self.int32Length(plaintext.count, "plaintext")
        let associatedDataLength = try Self.int32Length(associatedData.count, "associated data")
        var length: Int32 = 0
        if associatedDataLength > 0 {
            guard EVP_EncryptUpdate(context.pointer, nil, &length, associatedData, associatedDataLength) == 1 else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM could not authenticate the associated data")
            }
        }
        if plaintextLength > 0 {
            guard EVP_EncryptUpdate(context.pointer, ciphertext.baseAddress, &length, plaintext, plaintextLength) == 1,
                length == plaintextLength
            else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM encryption failed")
            }
        }
        // GCM is a stream mode: finishing writes no bytes (at the end of the ciphertext, as OpenSSL's examples
        // pass it), only computes the tag.
        guard EVP_EncryptFinal_ex(context.pointer, Self.end(of: ciphertext), &length) == 1, length == 0,
            COpenSSL_gcm_get_tag(context.pointer, Int32(Self.tagByteCount), tag.baseAddress) == 1
        else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM could not compute the tag")
        }
    }

    /// Seals message after message under one key, which OpenSSL expands once rather than for each message (a
    /// third of sealing a short identifier). Each message gets a fresh random nonce, as with
    /// ``sealCombined(_:key:authenticating:)``, whose output it gives. Not for use by two threads at once.
    final class KeyedSealer {
        private let context: CipherContext

        /// A sealer for `key`.
        init(key: SymmetricKey) throws {
            self.context = try CipherContext()
            guard EVP_EncryptInit_ex2(self.context.pointer, try FetchedAlgorithms.shared.requireAES256GCM(),
                                      key.bytes, nil, nil) == 1
            else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM encryption could not start")
            }
        }

        /// nonce ‖ ciphertext ‖ tag of `plaintext`, with `associatedData` authenticated.
        func sealCombined(_ plaintext: [UInt8], authenticating associatedData: [UInt8]) throws -> [UInt8] {
            try AES256GCM.combined(plaintextCount: plaintext.count) { nonce, ciphertext, tag in
                try SecureRandom.fill(nonce)
                try self.encrypt(
                    plaintext, nonce: UnsafeBufferPointer(nonce), associatedData: associatedData,
                    ciphertext: ciphertext, tag: tag)
            }
        }

        /// Encrypts under the sealer's key with `nonce`, which must never have been used with that key.
        func encrypt(
            _ plaintext: [UInt8], nonce: UnsafeBufferPointer<UInt8>, associatedData: [UInt8],
            ciphertext: UnsafeMutableBufferPointer<UInt8>, tag: UnsafeMutableBufferPointer<UInt8>
        ) throws {
            // Without a cipher and a key, starting again keeps the expanded key and only sets the nonce.
            guard EVP_EncryptInit_ex2(self.context.pointer, nil, nil, nonce.baseAddress, nil) == 1 else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM encryption could not start")
            }
            try AES256GCM.encrypt(
                plaintext, in: self.context, associatedData: associatedData, ciphertext: ciphertext, tag: tag)
        }
    }

    /// Checks `tag` (``tagByteCount`` bytes) over `ciphertext` and `associatedData` and returns the plaintext.
    static func decrypt(
        _ ciphertext: UnsafeBufferPointer<UInt8>, key: SymmetricKey, nonce: UnsafeBufferPointer<UInt8>,
        tag: UnsafeBufferPointer<UInt8>, associatedData: [UInt8]
    ) throws -> [UInt8] {
        let ciphertextLength = try Self.int32Length(ciphertext.count, "ciphertext")
        let associatedDataLength = try Self.int32Length(associatedData.count, "associated data")
        let cipher = try FetchedAlgorithms.shared.requireAES256GCM()
        let context = try CipherContext()
        guard EVP_DecryptInit_ex2(context.pointer, cipher, key.bytes, nonce.baseAddress, nil) == 1 else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM decryption could not start")
        }
        var length: Int32 = 0
        if associatedDataLength > 0 {
            guard EVP_DecryptUpdate(context.pointer, nil, &length, associatedData, associatedDataLength) == 1 else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM could not authenticate the associated data")
            }
        }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        try plaintext.withUnsafeMutableBufferPointer { plaintext in
            if ciphertextLength > 0 {
                guard
                    EVP_DecryptUpdate(
                        context.pointer, plaintext.baseAddress, &length, ciphertext.baseAddress, ciphertextLength
                    ) == 1, length == ciphertextLength
                else {
                    throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM decryption failed")
                }
            }
            // Setting the tag only reads it, whatever the `void *` of the ctrl call says.
            guard
                COpenSSL_gcm_set_tag(
                    context.pointer, Int32(Self.tagByteCount), UnsafeMutableRawPointer(mutating: tag.baseAddress)
                ) == 1
            else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "AES-256-GCM could not take the tag")
            }
            guard EVP_DecryptFinal_ex(context.pointer, Self.end(of: plaintext), &length) == 1 else {
                OpenSSLErrorQueue.clear()
                throw CryptoError(
                    code: .authenticationFailure,
                    message: "AES-256-GCM authentication failed: the sealed data or its associated data was altered, "
                        + "or the key is wrong"
                )
            }
        }
        return plaintext
    }

    static func checkNonce(_ nonce: [UInt8]) throws {
        guard nonce.count == Self.nonceByteCount else {
            throw CryptoError(
                code: .invalidLength,
                message: "an AES-256-GCM nonce must be \(Self.nonceByteCount) bytes, not \(nonce.count)"
            )
        }
    }

    private static func int32Length(_ count: Int, _ what: String) throws -> Int32 {
        guard let length = Int32(exactly: count) else {
            throw CryptoError(
                code: .invalidLength,
                message: "the \(what) is \(count) bytes; AES-256-GCM takes at most \(Int32.max) in one call"
            )
        }
        return length
    }

    /// Where output after `buffer`'s would go: GCM's final step writes nothing there.
    private static func end(of buffer: UnsafeMutableBufferPointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        buffer.baseAddress.map { $0 + buffer.count }
    }
}

/// An `EVP_CIPHER_CTX`, freed when it goes out of scope: it lives for one seal or open, or as long as an
/// ``AES256GCM/KeyedSealer``.
private struct CipherContext: ~Copyable {
    let pointer: OpaquePointer

    init() throws {
        guard let pointer = EVP_CIPHER_CTX_new() else {
            throw OpenSSLErrorQueue.error(.openSSLFailure, "EVP_CIPHER_CTX_new failed")
        }
        self.pointer = pointer
    }

    deinit {
        EVP_CIPHER_CTX_free(self.pointer)
    }
}
