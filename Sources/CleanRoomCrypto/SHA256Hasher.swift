internal import COpenSSL

/// Incremental SHA-256, for data that arrives in pieces (a file or a network stream).
///
/// ```swift
/// var hasher = SHA256Hasher()
/// for chunk in chunks { hasher.update(chunk) }
/// let digest = hasher.finalize()
/// ```
///
/// `SHA256Hasher` is a value: a copy taken part-way continues independently of the original, so a
/// digest of a common prefix can be forked. ``finalize()`` leaves the hasher usable; further updates
/// continue from the same state.
///
/// Like ``SHA256/hash(_:)`` it does not throw: it traps when OpenSSL offers no SHA-256, which
/// ``CryptoSelfTest/run()`` reports as an error first (so only after a failed or skipped self-test), or
/// when memory runs out.
public struct SHA256Hasher {
    private var state: DigestState

    /// Creates a hasher that has seen no bytes yet.
    public init() {
        self.state = DigestState()
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.update(bufferPointer: $0) }
    }

    /// Feeds `bytes` to the hash.
    public mutating func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { self.update(bufferPointer: $0) }
    }

    /// Feeds the UTF-8 bytes of `text` to the hash.
    public mutating func update(_ text: String) {
        self.update(Array(text.utf8))
    }

    /// Feeds the bytes in `buffer` to the hash.
    public mutating func update(bufferPointer buffer: UnsafeRawBufferPointer) {
        if !isKnownUniquelyReferenced(&self.state) {
            self.state = DigestState(copying: self.state)
        }
        self.state.update(buffer)
    }

    /// Returns the SHA-256 digest of every byte fed so far.
    public func finalize() -> [UInt8] {
        DigestState(copying: self.state).finish()
    }
}

/// An `EVP_MD_CTX` running SHA-256, owned by one ``SHA256Hasher`` at a time (copied on write).
///
/// Its traps fire only when SHA-256 is missing (``FetchedAlgorithms/requiredSHA256``) or memory runs out:
/// with the digest fetched, OpenSSL's SHA-256 init, update, copy and final fail on nothing else.
private final class DigestState {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new failed: out of memory")
        }
        self.context = context
        let result = EVP_DigestInit_ex2(context, FetchedAlgorithms.shared.requiredSHA256, nil)
        precondition(result == 1, "EVP_DigestInit_ex2(SHA-256) failed")
    }

    init(copying other: DigestState) {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new failed: out of memory")
        }
        self.context = context
        precondition(EVP_MD_CTX_copy_ex(context, other.context) == 1, "EVP_MD_CTX_copy_ex failed: out of memory")
    }

    deinit {
        EVP_MD_CTX_free(self.context)
    }

    func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(EVP_DigestUpdate(self.context, buffer.baseAddress, buffer.count) == 1, "EVP_DigestUpdate failed")
    }

    /// Finishes this state; it must not be used afterwards.
    func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(self.context, &digest, &length) == 1, "EVP_DigestFinal_ex failed")
        return digest
    }
}
