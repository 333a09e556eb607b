/// Normalizes the owner's own customer ids as DESIGN.md section 4 says: trimmed, case kept.
///
/// A customer id is scoped to its owner and compared byte for byte, so nothing else is changed: no case
/// folding, no Unicode normalization, inner spaces kept.
public enum CustomerIDNormalizer {
    /// The most UTF-8 bytes a customer id may have.
    public static let maximumByteCount = 256

    /// Returns `raw` without surrounding white space, or throws why it is not a usable customer id.
    public static func normalize(_ raw: String) throws(IdentifierError) -> String {
        let text = UnicodeText.trimmingWhiteSpace(raw)
        guard !text.isEmpty else {
            throw IdentifierError(.empty, .customerID, "the customer id is empty; leave the field out instead")
        }
        guard !text.unicodeScalars.contains(where: UnicodeText.isControl) else {
            throw IdentifierError(
                .controlCharacter, .customerID, "the customer id holds a control character; check the file's encoding")
        }
        guard text.utf8.count <= Self.maximumByteCount else {
            throw IdentifierError(
                .tooLong, .customerID, "the customer id is longer than \(Self.maximumByteCount) bytes")
        }
        return text
    }
}
