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

    private init() {
        self.sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        self.aes256GCM = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
        self.hkdf = EVP_KDF_fetch(nil, "HKDF", nil)
        OpenSSLErrorQueue.clear()
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
