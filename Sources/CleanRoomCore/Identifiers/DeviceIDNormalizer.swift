import CleanRoomCrypto

/// Normalizes mobile advertising ids (Apple IDFA, Google AAID) as DESIGN.md section 4 says.
///
/// Accepted: 32 hexadecimal digits in any case, either plain or grouped 8-4-4-4-12 with hyphens, optionally in
/// braces, with white space around. The canonical form is lowercase 8-4-4-4-12 with hyphens, the form Meta,
/// Snap and X document. The all-zero id, which iOS and Android report when the user limits ad tracking, is
/// rejected: otherwise every opted-out person would merge into one subject.
public enum DeviceIDNormalizer {
    /// Returns `raw` as lowercase 8-4-4-4-12 with hyphens, or throws why it is not an advertising id.
    public static func normalize(_ raw: String) throws(IdentifierError) -> String {
        let text = UnicodeText.trimmingWhiteSpace(raw)
        guard !text.isEmpty else {
            throw IdentifierError(.empty, .deviceID, "the device id is empty; leave the field out instead")
        }
        var characters = Array(text.utf8)[...]
        if characters.count >= 2 && characters.first == UInt8(ascii: "{") && characters.last == UInt8(ascii: "}") {
            characters = characters.dropFirst().dropLast()
        }
        let hyphenated = characters.count == 36
            && Self.hyphenOffsets.allSatisfy { characters[characters.startIndex + $0] == UInt8(ascii: "-") }
        let invalid = IdentifierError(
            .invalidDeviceID, .deviceID,
            "the device id is not an IDFA or AAID: 32 hexadecimal digits, as 8-4-4-4-12 with hyphens or without")
        guard characters.count == 32 || hyphenated else { throw invalid }
        // The 32 digits, lowercased, straight into their places in the canonical form (hyphens after 8, 12, 16
        // and 20 digits), in one pass and one buffer.
        var canonical = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var (digits, isAllZero) = (0, true)
        for (offset, character) in characters.enumerated() where !(hyphenated && Self.hyphenOffsets.contains(offset)) {
            guard let value = Hex.value(character) else { throw invalid }
            canonical[digits + Self.groupStarts.count { digits >= $0 }] = Self.lowercaseDigits[Int(value)]
            isAllZero = isAllZero && value == 0
            digits += 1
        }
        guard !isAllZero else {
            throw IdentifierError(
                .allZeroDeviceID, .deviceID,
                "the device id is all zeros, what a device reports when ad tracking is limited; leave it out")
        }
        return String(decoding: canonical, as: UTF8.self)
    }

    /// Where the hyphens of the 8-4-4-4-12 form stand.
    private static let hyphenOffsets = [8, 13, 18, 23]
    /// Where the second to fifth groups start among the 32 digits.
    private static let groupStarts = [8, 12, 16, 20]
    /// The digits of the canonical form, by value.
    private static let lowercaseDigits = Array("0123456789abcdef".utf8)
}
