internal import COpenSSL

/// Owns an `EVP_PKEY` and frees it when the last reference goes.
///
/// `@unchecked Sendable` because the key is never modified after creation: OpenSSL allows one
/// `EVP_PKEY` to be used for signing and verifying from several threads at once as long as nobody
/// changes it.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(self.pointer)
    }

    /// Returns the raw public key bytes (32 for Ed25519).
    func rawPublicKey() throws -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(self.pointer, nil, &length) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidKey, "the key has no raw public form")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(self.pointer, &bytes, &length) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidKey, "the key has no raw public form")
        }
        return Array(bytes.prefix(length))
    }

    /// Returns the raw private key bytes (the 32-byte seed for Ed25519).
    func rawPrivateKey() throws -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_private_key(self.pointer, nil, &length) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidKey, "the key has no raw private form")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_private_key(self.pointer, &bytes, &length) == 1 else {
            throw OpenSSLErrorQueue.error(.invalidKey, "the key has no raw private form")
        }
        return Array(bytes.prefix(length))
    }
}
