/// An error from a cryptographic operation: what failed, and OpenSSL's own reason where it gave one.
///
/// Errors are small structs with a stable ``Code`` so that callers can match on the kind of failure
/// while new kinds can be added without breaking them.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The code's stable snake_case name, such as `authentication_failure`.
        public var description: String { self.name }

        /// A key, nonce, tag or output length is outside what the algorithm accepts.
        public static let invalidLength = Code("invalid_length")
        /// Authenticated decryption failed: the ciphertext, tag, nonce or associated data was altered,
        /// or the wrong key was used.
        public static let authenticationFailure = Code("authentication_failure")
        /// A key could not be parsed or created.
        public static let invalidKey = Code("invalid_key")
        /// The operating system or OpenSSL could not provide random bytes.
        public static let randomUnavailable = Code("random_unavailable")
        /// OpenSSL reported an internal failure.
        public static let openSSLFailure = Code("openssl_failure")
        /// OpenSSL offers no implementation of an algorithm CleanRoom needs: its configuration (`OPENSSL_CONF`)
        /// activates no provider that has it.
        public static let algorithmUnavailable = Code("algorithm_unavailable")
        /// A known-answer test of ``CryptoSelfTest`` gave a wrong result: the libcrypto in use is faulty.
        public static let selfTestFailure = Code("self_test_failure")
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String

    /// Creates an error of kind `code` described by `message`.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message, as in `authentication_failure: AES-256-GCM authentication failed…`.
    public var description: String { "\(self.code): \(self.message)" }
}
