internal import COpenSSL

/// The OpenSSL algorithm implementations CleanRoom uses, fetched once from the loaded providers.
///
/// OpenSSL 3 resolves a legacy handle such as `EVP_sha256()` by name on every initialisation (an "implicit
/// fetch", a lock and a table lookup each time); fetching explicitly once is what `crypto(7)` recommends for
/// speed. Fetched objects are reference-counted and never modified after the fetch, so one shared instance
/// serves every thread.
///
/// An algorithm that no loaded provider offers (an `OPENSSL_CONF` that activates only the base or the FIPS
/// provider, say) leaves its handle `nil`. ``CryptoSelfTest/run()`` reports that as a ``CryptoError``, and so
/// do the throwing entry points; the non-throwing hashing entry points trap on it instead, which is why a
/// program runs the self-test at start-up.
final class FetchedAlgorithms: @unchecked Sendable {
    /// The names the algorithms are fetched by. Only tests change them, to see an algorithm missing.
    struct Names: Sendable {
        var sha256 = "SHA256"
        var hmac = "HMAC"
        var hkdf = "HKDF"
        var aes256GCM = "AES-256-GCM"
        var ed25519 = "ED25519"
    }

    /// The process-wide set, fetched on first use.
    static let shared = FetchedAlgorithms(names: Names())

    /// `EVP_MD` for SHA-256, or `nil` when no provider offers it.
    let sha256: OpaquePointer?
    /// `EVP_CIPHER` for AES-256-GCM, or `nil` when no provider offers it.
    let aes256GCM: OpaquePointer?
    /// `EVP_KDF` for HKDF, or `nil` when no provider offers it.
    let hkdf: OpaquePointer?
    /// An `EVP_MAC_CTX` for HMAC with SHA-256 chosen and no key yet, or `nil` when no provider offers
    /// HMAC-SHA256. Each computation duplicates it (`EVP_MAC_CTX_dup` only reads its source, so concurrent
    /// duplication is safe), which skips looking up HMAC and SHA-256 by name every time.
    let hmacSHA256Template: OpaquePointer?
    /// Whether a provider offers Ed25519 key management and signatures. `EVP_PKEY` looks Ed25519 up by
    /// its key type on each use, so there is no handle to keep, only the answer.
    let offersEd25519: Bool

    init(names: Names) {
        self.sha256 = EVP_MD_fetch(nil, names.sha256, nil)
        self.aes256GCM = EVP_CIPHER_fetch(nil, names.aes256GCM, nil)
        self.hkdf = EVP_KDF_fetch(nil, names.hkdf, nil)
        self.hmacSHA256Template = Self.makeHMACTemplate(mac: names.hmac, digest: names.sha256)
        self.offersEd25519 = Self.offersSignatureAlgorithm(names.ed25519)
        OpenSSLErrorQueue.clear()
    }

    deinit {
        EVP_MD_free(self.sha256)
        EVP_CIPHER_free(self.aes256GCM)
        EVP_KDF_free(self.hkdf)
        EVP_MAC_CTX_free(self.hmacSHA256Template)
    }

    /// The algorithms no provider offers, by their usual names (`SHA-256`, `Ed25519`); empty when all are there.
    var unavailableAlgorithms: [String] {
        let offered = [
            ("SHA-256", self.sha256 != nil),
            ("HMAC-SHA256", self.hmacSHA256Template != nil),
            ("HKDF", self.hkdf != nil),
            ("AES-256-GCM", self.aes256GCM != nil),
            ("Ed25519", self.offersEd25519),
        ]
        return offered.filter { !$0.1 }.map(\.0)
    }

    /// The HMAC-SHA256 template for the entry points that cannot fail on valid input.
    ///
    /// Traps when no provider offers HMAC-SHA256. ``CryptoSelfTest/run()`` reports exactly that as an error
    /// first, so this fires only in a program that skipped the self-test or went on after it failed.
    var requiredHMACSHA256Template: OpaquePointer {
        guard let template = self.hmacSHA256Template else {
            fatalError(Self.unavailableError(["HMAC-SHA256"]).message + " (run CryptoSelfTest.run() at start-up)")
        }
        return template
    }

    /// SHA-256 for the hashing entry points that cannot fail on valid input.
    ///
    /// Traps when no provider offers SHA-256. ``CryptoSelfTest/run()`` reports exactly that as an error
    /// first, so this fires only in a program that skipped the self-test or went on after it failed.
    var requiredSHA256: OpaquePointer {
        guard let sha256 = self.sha256 else {
            fatalError(Self.unavailableError(["SHA-256"]).message + " (run CryptoSelfTest.run() at start-up)")
        }
        return sha256
    }

    /// AES-256-GCM, or a ``CryptoError/Code/algorithmUnavailable`` error.
    func requireAES256GCM() throws -> OpaquePointer {
        guard let cipher = self.aes256GCM else { throw Self.unavailableError(["AES-256-GCM"]) }
        return cipher
    }

    /// HKDF, or a ``CryptoError/Code/algorithmUnavailable`` error.
    func requireHKDF() throws -> OpaquePointer {
        guard let kdf = self.hkdf else { throw Self.unavailableError(["HKDF"]) }
        return kdf
    }

    /// The error for `algorithms` that no loaded provider offers: it names them, the OpenSSL configuration
    /// file in force and how to check which providers it activates.
    static func unavailableError(_ algorithms: [String]) -> CryptoError {
        CryptoError(
            code: .algorithmUnavailable,
            message: "no active OpenSSL provider offers \(algorithms.joined(separator: ", ")); check that the "
                + "OpenSSL configuration \(Self.configurationFile) (OPENSSL_CONF when set) activates the default "
                + "provider: `openssl list -providers` shows the active ones"
        )
    }

    /// The configuration file OpenSSL reads: `OPENSSL_CONF`, or the built-in default when that is unset.
    private static var configurationFile: String {
        guard let path = CONF_get1_default_config_file() else { return "openssl.cnf" }
        defer { CRYPTO_free(path, nil, 0) }
        return String(cString: path)
    }

    private static func makeHMACTemplate(mac macName: String, digest: String) -> OpaquePointer? {
        guard let mac = EVP_MAC_fetch(nil, macName, nil) else { return nil }
        // The context keeps its own reference to the MAC.
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { return nil }
        guard COpenSSL_mac_set_digest(context, digest) == 1 else {
            EVP_MAC_CTX_free(context)
            return nil
        }
        return context
    }

    private static func offersSignatureAlgorithm(_ name: String) -> Bool {
        let keyManagement = EVP_KEYMGMT_fetch(nil, name, nil)
        let signature = EVP_SIGNATURE_fetch(nil, name, nil)
        defer {
            EVP_KEYMGMT_free(keyManagement)
            EVP_SIGNATURE_free(signature)
        }
        return keyManagement != nil && signature != nil
    }
}
