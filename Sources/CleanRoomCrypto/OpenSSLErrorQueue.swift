internal import COpenSSL

/// Reads and clears OpenSSL's thread-local error queue, so that a failure never leaks into the next call.
enum OpenSSLErrorQueue {
    /// Returns the failure as a ``CryptoError``, with OpenSSL's reason strings appended.
    static func error(_ code: CryptoError.Code, _ what: String) -> CryptoError {
        var reasons: [String] = []
        while true {
            let packed = ERR_get_error()
            if packed == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(packed, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let suffix = reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))"
        return CryptoError(code: code, message: what + suffix)
    }

    /// Drops whatever OpenSSL left queued.
    static func clear() {
        ERR_clear_error()
    }
}
