/// The power-on self-test: checks that OpenSSL offers every algorithm this module uses and that each one
/// gives the published answer, before any real data goes through it.
///
/// Run it once at start-up and stop with its error if it throws:
///
/// ```swift
/// try CryptoSelfTest.run()
/// ```
///
/// ``SHA256``, ``SHA256Hasher`` and ``HMACSHA256`` do not throw, because every input is valid for them;
/// they trap when OpenSSL lacks SHA-256 or HMAC, as it does when `OPENSSL_CONF` names a configuration that
/// activates only the base or the FIPS provider. The self-test turns that situation into a ``CryptoError``
/// a program can report, so those traps can fire only in a program that skipped the self-test or went on
/// after it failed (or when memory runs out).
public enum CryptoSelfTest {
    /// Fetches every algorithm the module uses, draws random bytes, then runs one known-answer test per
    /// primitive: SHA-256 (FIPS 180-4 "abc"), HMAC-SHA256 (RFC 4231 test case 1, alone and twice in a batch),
    /// HKDF-SHA256 (RFC 5869 test
    /// case 1), AES-256-GCM (GCM specification test case 16, sealing and opening) and Ed25519 (RFC 8032
    /// TEST 1, signing and verifying). It takes well under a millisecond.
    ///
    /// - Throws: ``CryptoError`` with ``CryptoError/Code/algorithmUnavailable`` naming the algorithms no
    ///   active OpenSSL provider offers and the configuration file to check, or the random generator that
    ///   does not work; ``CryptoError/Code/selfTestFailure`` naming the known-answer test that gave a wrong
    ///   result.
    public static func run() throws {
        try Self.requireAvailable(FetchedAlgorithms.shared)
        try Self.requireRandomBytes()
        for test in KnownAnswerTest.all {
            try test.verify()
        }
    }

    /// Throws the ``CryptoError/Code/algorithmUnavailable`` error unless `algorithms` holds every algorithm.
    static func requireAvailable(_ algorithms: FetchedAlgorithms) throws {
        let missing = algorithms.unavailableAlgorithms
        guard missing.isEmpty else {
            throw FetchedAlgorithms.unavailableError(missing)
        }
    }

    private static func requireRandomBytes() throws {
        do {
            _ = try SecureRandom.bytes(count: SymmetricKey.byteCount)
        } catch let error as CryptoError {
            var unavailable = FetchedAlgorithms.unavailableError(["a random generator"])
            unavailable.message += " (\(error.message))"
            throw unavailable
        }
    }
}
