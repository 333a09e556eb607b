internal import COpenSSL

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) over OpenSSL's `EVP_MAC`.
///
/// For many codes under one key (pseudonyms under the match key), an ``Authenticator`` keeps the keyed
/// state and is about twice as fast as the one-shot call.
///
/// Every key and message is valid, so nothing here throws. Computing a code traps when OpenSSL offers
/// no HMAC-SHA256, which ``CryptoSelfTest/run()`` reports as an error first (so only after a failed or
/// skipped self-test), or when memory runs out.
public enum HMACSHA256 {
    /// The length of an authentication code in bytes.
    public static let byteCount = 32

    /// Returns HMAC-SHA256 of `message` under `key`.
    ///
    /// Every key length is valid, the empty key included: a key longer than the 64-byte block is hashed
    /// first, a shorter one is padded with zeros.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        MACContext(keyedWith: key).authenticationCode(for: message)
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

    /// HMAC-SHA256 under one key, for computing many codes: the key is processed once, at creation.
    ///
    /// An authenticator is immutable and can be shared by any number of tasks.
    public struct Authenticator: Sendable {
        private let keyed: MACContext

        /// Creates an authenticator for `key`, of any length.
        public init(key: [UInt8]) {
            self.keyed = MACContext(keyedWith: key)
        }

        /// Creates an authenticator for `key`.
        public init(key: SymmetricKey) {
            self.init(key: key.bytes)
        }

        /// Returns HMAC-SHA256 of `message` under this authenticator's key.
        public func authenticationCode(for message: [UInt8]) -> [UInt8] {
            MACContext(copying: self.keyed).authenticationCode(for: message)
        }

        /// Returns the HMAC-SHA256 of each of the messages `messages` holds end to end, `messageLength` bytes each,
        /// end to end in the same order (32 bytes each): the fast path for many short messages, which keys one
        /// context and restarts it for each message instead of duplicating a keyed one.
        public func authenticationCodes(ofMessagesIn messages: [UInt8], messageLength: Int) -> [UInt8] {
            precondition(messageLength > 0 && messages.count.isMultiple(of: messageLength), "whole messages")
            let context = MACContext(copying: self.keyed)
            let count = messages.count / messageLength
            return [UInt8](unsafeUninitializedCapacity: count * HMACSHA256.byteCount) { codes, initialized in
                messages.withUnsafeBytes { input in
                    for index in 0..<count {
                        context.restart()
                        context.authenticate(
                            UnsafeRawBufferPointer(rebasing: input[(index * messageLength)..<((index + 1) * messageLength)]),
                            into: UnsafeMutableRawBufferPointer(
                                rebasing: UnsafeMutableRawBufferPointer(codes)[
                                    (index * HMACSHA256.byteCount)..<((index + 1) * HMACSHA256.byteCount)]))
                    }
                }
                initialized = count * HMACSHA256.byteCount
            }
        }

        /// Tells whether `code` is the HMAC-SHA256 of `message` under this key, comparing in constant time.
        public func isValidAuthenticationCode(_ code: [UInt8], for message: [UInt8]) -> Bool {
            ConstantTime.isEqual(code, self.authenticationCode(for: message))
        }

        /// A context of this key for one thread's run of messages (``Session``).
        public func session() -> Session {
            Session(copying: self.keyed)
        }
    }

    /// HMAC-SHA256 under one key for a run of messages on one thread: a copy of the keyed context made once and
    /// restarted for each message, where ``Authenticator/authenticationCode(for:)`` copies the context for every
    /// message so that threads can share it. Not for use from two threads at once.
    public final class Session {
        private let context: MACContext

        fileprivate init(copying keyed: MACContext) {
            self.context = MACContext(copying: keyed)
        }

        /// Returns HMAC-SHA256 of `message`.
        public func authenticationCode(for message: [UInt8]) -> [UInt8] {
            self.context.restart()
            return self.context.authenticationCode(for: message)
        }

        /// Writes HMAC-SHA256 of `message` into `code`, which must hold 32 bytes: no array is made.
        public func authenticate(_ message: UnsafeRawBufferPointer, into code: UnsafeMutableRawBufferPointer) {
            precondition(code.count == HMACSHA256.byteCount, "an HMAC-SHA256 is 32 bytes")
            self.context.restart()
            self.context.authenticate(message, into: code)
        }
    }
}

/// Owns an `EVP_MAC_CTX` for HMAC-SHA256.
///
/// A keyed context shared by an ``HMACSHA256/Authenticator`` is only ever duplicated, which reads it
/// (`EVP_MAC_CTX_dup` takes a `const` source), so it is `@unchecked Sendable`; each code is computed on
/// a private duplicate.
///
/// Its traps fire only when HMAC-SHA256 is missing (``FetchedAlgorithms/requiredHMACSHA256Template``) or
/// memory runs out: with the template fetched, duplicating, keying, updating and finishing fail on nothing else.
private final class MACContext: @unchecked Sendable {
    private let context: OpaquePointer

    /// A duplicate of `other`, in the same state.
    init(copying other: MACContext) {
        self.context = Self.duplicate(other.context)
    }

    /// A fresh context keyed with `key`.
    init(keyedWith key: [UInt8]) {
        self.context = Self.duplicate(FetchedAlgorithms.shared.requiredHMACSHA256Template)
        // OpenSSL reads a NULL key as "no key", so the empty key is passed as a real pointer with length 0.
        let keyBytes = key.isEmpty ? [0] : key
        let result = EVP_MAC_init(self.context, keyBytes, key.count, nil)
        precondition(result == 1, "EVP_MAC_init(HMAC-SHA256) failed: out of memory")
    }

    deinit {
        EVP_MAC_CTX_free(self.context)
    }

    /// Feeds `message` and returns the code; the context is finished afterwards.
    func authenticationCode(for message: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        message.withUnsafeBytes { input in
            code.withUnsafeMutableBytes { output in self.authenticate(input, into: output) }
        }
        return code
    }

    /// Feeds `message` and writes the code into `code` (32 bytes); the context is finished afterwards.
    func authenticate(_ message: UnsafeRawBufferPointer, into code: UnsafeMutableRawBufferPointer) {
        var length = 0
        let updated = EVP_MAC_update(self.context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        let finished = EVP_MAC_final(
            self.context, code.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, code.count)
        precondition(updated == 1 && finished == 1 && length == HMACSHA256.byteCount, "HMAC-SHA256 failed")
    }

    /// Makes a finished context ready for the next message under the same key (OpenSSL keeps the key when
    /// `EVP_MAC_init` is given none).
    func restart() {
        let result = EVP_MAC_init(self.context, nil, 0, nil)
        precondition(result == 1, "EVP_MAC_init(HMAC-SHA256) failed: out of memory")
    }

    private static func duplicate(_ source: OpaquePointer) -> OpaquePointer {
        guard let context = EVP_MAC_CTX_dup(source) else {
            fatalError("EVP_MAC_CTX_dup failed: out of memory")
        }
        return context
    }
}
