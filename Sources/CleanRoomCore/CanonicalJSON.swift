/// A JSON value written in one canonical way: object keys sorted by their UTF-16 code units (as RFC 8785
/// sorts them), no white space, strings with only the escapes JSON requires, integral numbers without a
/// fraction.
///
/// The policy digest and the audit log's entries are computed over this text, so equal values always give
/// equal bytes.
public enum CanonicalJSON: Sendable, Equatable {
    /// An object; its members are written sorted by key.
    case object([String: CanonicalJSON])
    /// An array, in order.
    case array([CanonicalJSON])
    /// A string.
    case string(String)
    /// An integer.
    case integer(Int)
    /// A finite number; whole numbers below 10^15 are written as integers.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// The canonical text of this value.
    public var text: String {
        String(decoding: self.utf8, as: UTF8.self)
    }

    /// The canonical text of this value, as UTF-8 bytes.
    public var utf8: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        self.write(to: &output)
        return output
    }

    /// Appends the canonical text of this value to `output`: for writers of a fixed shape that lay out the
    /// surrounding object themselves, keys already in canonical order.
    public func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted(by: Self.keyPrecedes)
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                members[key]!.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let string):
            Self.writeString(string, to: &output)
        case .integer(let integer):
            output += String(integer).utf8
        case .number(let number):
            // JSON has no infinity or NaN: they are written as null (policy numbers are always finite).
            if !number.isFinite {
                output += "null".utf8
            } else if number == number.rounded(), abs(number) < 1e15 {
                output += String(Int(number)).utf8
            } else {
                output += "\(number)".utf8
            }
        case .bool(let bool):
            output += (bool ? "true" : "false").utf8
        case .null:
            output += "null".utf8
        }
    }

    /// Whether `key` sorts before `other` among an object's keys: by their UTF-16 code units, as RFC 8785 sorts.
    ///
    /// Compared on the UTF-8 bytes, which need no transcoding and order like code points; the two orders differ
    /// only where a character of U+10000 and above (UTF-16 surrogates, below U+E000) meets one of U+E000–U+FFFF,
    /// which is told by the lead bytes at the first difference.
    public static func keyPrecedes(_ key: String, _ other: String) -> Bool {
        // On the strings' own storage: an iterator per string cost more than the comparison (it sorts every
        // customer's attributes at ingest). Read where they lie when they can be: `withUTF8` mutates, so calling it
        // needs a copy of each string, retained and released.
        let inPlace = key.utf8.withContiguousStorageIfAvailable { bytes in
            other.utf8.withContiguousStorageIfAvailable { otherBytes in Self.keyPrecedes(bytes, otherBytes) }
        }
        if case .some(.some(let precedes)) = inPlace { return precedes }
        var (key, other) = (key, other)
        return key.withUTF8 { bytes in other.withUTF8 { otherBytes in Self.keyPrecedes(bytes, otherBytes) } }
    }

    private static func keyPrecedes(_ bytes: UnsafeBufferPointer<UInt8>, _ otherBytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<min(bytes.count, otherBytes.count) {
            let (byte, otherByte) = (bytes[index], otherBytes[index])
            if byte == otherByte { continue }
            let upperBMP: ClosedRange<UInt8> = 0xEE...0xEF
            if byte >= 0xF0, upperBMP.contains(otherByte) { return true }
            if otherByte >= 0xF0, upperBMP.contains(byte) { return false }
            return byte < otherByte
        }
        // One is a prefix of the other: the shorter comes first.
        return bytes.count < otherBytes.count
    }

    /// Writes a JSON string: only `"`, `\` and control characters are escaped; every other byte of the UTF-8
    /// text is copied as it is.
    public static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        defer { output.append(UInt8(ascii: "\"")) }
        // Most strings need no escape: their bytes are copied at once, from the string's own storage.
        let copied = string.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: Self.needsEscape) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += #"\""#.utf8
            case UInt8(ascii: "\\"): output += #"\\"#.utf8
            case UInt8(ascii: "\n"): output += #"\n"#.utf8
            case UInt8(ascii: "\r"): output += #"\r"#.utf8
            case UInt8(ascii: "\t"): output += #"\t"#.utf8
            case 0x08: output += #"\b"#.utf8
            case 0x0C: output += #"\f"#.utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += #"\u00"#.utf8
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
    }

    /// Whether a byte of a string's UTF-8 text is escaped in JSON: `"`, `\` and control characters.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}

extension CanonicalJSON: Decodable {
    /// Reads any JSON value. `true`/`false` stay booleans and integral numbers stay integers, so a value read
    /// back from its ``text`` writes the same text again.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([CanonicalJSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: CanonicalJSON].self))
        }
    }
}
