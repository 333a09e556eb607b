/// Base64 (RFC 4648 section 4) for match hashes: encoding with the standard alphabet and padding; strict
/// decoding that also takes the URL-safe alphabet of section 5, one alphabet per string.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Returns `bytes` in the standard alphabet, padded with `=` to a multiple of four characters.
    static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            let group = (0..<3).reduce(UInt32(0)) { word, offset in
                word << 8 | UInt32(offset < count ? bytes[index + offset] : 0)
            }
            for position in 0..<4 {
                let sextet = Int(group >> (18 - 6 * position) & 0x3F)
                text.append(position <= count ? Self.alphabet[sextet] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes padded Base64 in the standard (`+`, `/`) or the URL-safe (`-`, `_`) alphabet.
    ///
    /// Returns `nil` for a length that is not a multiple of four, a character outside both alphabets, characters
    /// of both alphabets in one string (`+` with `_`, say), padding anywhere but at the end, or unused low bits
    /// that are not zero. So every byte string has exactly one spelling in each alphabet.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count.isMultiple(of: 4) else { return nil }
        let padding = characters.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return nil }
        let standard = characters.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") }
        let urlSafe = characters.contains { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        guard !(standard && urlSafe) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 4 * 3)
        var word: UInt32 = 0
        for (offset, character) in characters.dropLast(padding).enumerated() {
            guard let value = Self.value(character) else { return nil }
            word = word << 6 | UInt32(value)
            if offset % 4 == 3 {
                bytes += [UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
                word = 0
            }
        }
        switch padding {
        case 1:
            guard word & 0x3 == 0 else { return nil }
            bytes += [UInt8(word >> 10 & 0xFF), UInt8(word >> 2 & 0xFF)]
        case 2:
            guard word & 0xF == 0 else { return nil }
            bytes.append(UInt8(word >> 4 & 0xFF))
        default:
            break
        }
        return bytes
    }

    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
