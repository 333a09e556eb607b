internal import COpenSSL

/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// Tells whether `lhs` and `rhs` hold the same bytes, in time that depends only on their length.
    ///
    /// Sequences of different lengths are never equal; the lengths themselves are not secret here.
    public static func isEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return CRYPTO_memcmp(lhs, rhs, lhs.count) == 0
    }
}
