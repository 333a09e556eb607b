/// Lowercase hexadecimal text for bytes, and back.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Returns `bytes` as lowercase hexadecimal text, two characters a byte.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(Self.digits[Int(byte >> 4)])
            text.append(Self.digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes hexadecimal text in either case; returns `nil` for an odd length or a non-hex character.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Self.decode(utf8: text.utf8)
    }

    /// Decodes the UTF-8 bytes of hexadecimal text in either case; returns `nil` for an odd length or a non-hex
    /// character.
    public static func decode(utf8 characters: some Collection<UInt8>) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        return Self.decode(utf8: characters, appendingTo: &bytes) ? bytes : nil
    }

    /// Decodes the UTF-8 bytes of hexadecimal text in either case and appends them to `bytes`; returns `false`,
    /// leaving `bytes` as it was, for an odd length or a non-hex character. The fast path for reading many hashes
    /// from a file's bytes: inlinable, so that it is specialized where it is called, and without an array per value.
    @inlinable
    public static func decode(utf8 characters: some Collection<UInt8>, appendingTo bytes: inout [UInt8]) -> Bool {
        guard characters.count.isMultiple(of: 2) else { return false }
        let start = bytes.count
        var high: UInt8?
        for character in characters {
            guard let value = Self.value(character) else {
                bytes.removeSubrange(start...)
                return false
            }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return true
    }

    /// The value of one hexadecimal digit in either case (`0`–`9`, `a`–`f`, `A`–`F`), `nil` for any other byte.
    @inlinable
    public static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
