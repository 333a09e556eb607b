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
        var output = ""
        self.write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!.write(to: &output)
            }
            output += "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .string(let string):
            Self.writeString(string, to: &output)
        case .integer(let integer):
            output += String(integer)
        case .number(let number):
            // JSON has no infinity or NaN: they are written as null (policy numbers are always finite).
            if !number.isFinite {
                output += "null"
            } else if number == number.rounded(), abs(number) < 1e15 {
                output += String(Int(number))
            } else {
                output += "\(number)"
            }
        case .bool(let bool):
            output += bool ? "true" : "false"
        case .null:
            output += "null"
        }
    }

    private static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
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
