internal import COpenSSL

extension Ed25519PublicKey {
    /// The label of a SubjectPublicKeyInfo PEM block (RFC 7468 section 13).
    private static let pemBeginLine = "-----BEGIN PUBLIC KEY-----"

    /// The key as a SubjectPublicKeyInfo PEM block (RFC 8410, RFC 7468), as `openssl pkey -pubout` writes it:
    ///
    /// ```
    /// -----BEGIN PUBLIC KEY-----
    /// MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
    /// -----END PUBLIC KEY-----
    /// ```
    ///
    /// OpenSSL itself writes the encoding, so `openssl pkey -pubin` and `openssl pkeyutl -verify -pubin` read it.
    public var pemRepresentation: String {
        // The raw key was accepted by OpenSSL when this value was made, and a memory BIO only fails when memory
        // runs out, where Swift itself would trap as well.
        guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, self.rawRepresentation, Self.byteCount)
        else {
            preconditionFailure("OpenSSL refused an Ed25519 public key it accepted before: out of memory")
        }
        let key = EVPKey(taking: pointer)
        guard let bio = BIO_new(BIO_s_mem()) else {
            preconditionFailure("BIO_new failed: out of memory")
        }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, key.pointer) == 1 else {
            preconditionFailure("PEM_write_bio_PUBKEY failed: out of memory")
        }
        return String(decoding: Self.drain(bio), as: UTF8.self)
    }

    /// Reads a key from a SubjectPublicKeyInfo PEM block (`-----BEGIN PUBLIC KEY-----`), such as the output of
    /// `openssl pkey -pubout` for an Ed25519 key.
    ///
    /// White space may surround the block; nothing else may.
    ///
    /// - Throws: ``CryptoError/Code/invalidKey`` when the text is not one PEM public key block, when the key is
    ///   not an Ed25519 key, or when OpenSSL refuses it.
    public init(pemRepresentation: String) throws {
        // OpenSSL looks for the BEGIN line at the start of a line, and skips any text before it: skip only
        // white space here, and refuse the rest.
        let text = Array(pemRepresentation.utf8.drop { Self.isWhiteSpace($0) })
        guard text.starts(with: Self.pemBeginLine.utf8) else {
            throw CryptoError(
                code: .invalidKey,
                message: "a PEM public key must start with the line \(Self.pemBeginLine)"
            )
        }
        let raw = try text.withUnsafeBytes { buffer -> [UInt8] in
            guard let length = Int32(exactly: buffer.count) else {
                throw CryptoError(code: .invalidKey, message: "the PEM text is too long for a public key")
            }
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, length) else {
                throw OpenSSLErrorQueue.error(.openSSLFailure, "BIO_new_mem_buf failed")
            }
            defer { BIO_free(bio) }
            guard let pointer = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
                throw OpenSSLErrorQueue.error(.invalidKey, "the PEM block is not a valid SubjectPublicKeyInfo")
            }
            let key = EVPKey(taking: pointer)
            guard EVP_PKEY_get_base_id(key.pointer) == EVP_PKEY_ED25519 else {
                throw CryptoError(code: .invalidKey, message: "the PEM public key is not an Ed25519 key")
            }
            guard Self.drain(bio).allSatisfy(Self.isWhiteSpace) else {
                throw CryptoError(code: .invalidKey, message: "text follows the PEM public key block")
            }
            return try key.rawPublicKey()
        }
        try self.init(rawRepresentation: raw)
    }

    /// Reads what is left in a memory BIO.
    private static func drain(_ bio: OpaquePointer) -> [UInt8] {
        let count = BIO_ctrl_pending(bio)
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = BIO_read(bio, &bytes, Int32(count))
        return Array(bytes.prefix(max(0, Int(read))))
    }

    private static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }
}
