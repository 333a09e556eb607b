internal import COpenSSL

/// The OpenSSL algorithm implementations CleanRoom uses, fetched once from the default provider.
///
/// OpenSSL 3 resolves a legacy handle such as `EVP_sha256()` by name on every initialisation (an "implicit
/// fetch", a lock and a table lookup each time); fetching explicitly once is what `crypto(7)` recommends for
/// speed. Fetched objects are reference-counted and never modified after the fetch, so one shared instance
/// serves every thread. They live as long as the process.
final class FetchedAlgorithms: @unchecked Sendable {
    /// The process-wide set, fetched on first use.
    static let shared = FetchedAlgorithms()

    /// `EVP_MD` for SHA-256, or `nil` when the provider lacks it.
    let sha256: OpaquePointer?
    /// `EVP_CIPHER` for AES-256-GCM, or `nil` when the provider lacks it.
    let aes256GCM: OpaquePointer?
    /// `EVP_KDF` for HKDF, or `nil` when the provider lacks it.
    let hkdf: OpaquePointer?
    /// An `EVP_MAC_CTX` for HMAC with SHA-256 chosen and no key yet, or `nil` when the provider lacks
    /// HMAC. Each computation duplicates it (`EVP_MAC_CTX_dup` only reads its source, so concurrent
    /// duplication is safe), which skips looking up HMAC and SHA-256 by name every time.
    let hmacSHA256Template: OpaquePointer?

    private init() {
        self.sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        self.aes256GCM = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
        self.hkdf = EVP_KDF_fetch(nil, "HKDF", nil)
        self.hmacSHA256Template = Self.makeHMACSHA256Template()
        OpenSSLErrorQueue.clear()
    }

    private static func makeHMACSHA256Template() -> OpaquePointer? {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else { return nil }
        // The context keeps its own reference to the MAC.
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { return nil }
        guard COpenSSL_mac_set_digest(context, "SHA256") == 1 else {
            EVP_MAC_CTX_free(context)
            return nil
        }
        return context
    }

    /// The HMAC-SHA256 template for the entry points that cannot fail on valid input; traps like
    /// ``requiredSHA256`` when the installation lacks it.
    var requiredHMACSHA256Template: OpaquePointer {
        guard let template = self.hmacSHA256Template else {
            fatalError("OpenSSL's default provider offers no HMAC-SHA256: the libcrypto installation is broken")
        }
        return template
    }

    /// SHA-256 for the hashing entry points that cannot fail on valid input.
    ///
    /// A missing SHA-256 means a broken OpenSSL installation, which no caller can handle, so this traps
    /// with a message saying so rather than making every hash call throw.
    var requiredSHA256: OpaquePointer {
        guard let sha256 = self.sha256 else {
            fatalError("OpenSSL's default provider offers no SHA-256: the libcrypto installation is broken")
        }
        return sha256
    }

    /// AES-256-GCM, or a ``CryptoError`` saying that the provider lacks it.
    func requireAES256GCM() throws -> OpaquePointer {
        guard let cipher = self.aes256GCM else {
            throw CryptoError(code: .openSSLFailure, message: "OpenSSL's default provider offers no AES-256-GCM")
        }
        return cipher
    }

    /// HKDF, or a ``CryptoError`` saying that the provider lacks it.
    func requireHKDF() throws -> OpaquePointer {
        guard let kdf = self.hkdf else {
            throw CryptoError(code: .openSSLFailure, message: "OpenSSL's default provider offers no HKDF")
        }
        return kdf
    }
}
