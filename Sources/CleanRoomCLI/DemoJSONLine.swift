/// Builds one JSON Lines record as UTF-8 bytes, key by key, with correct string escaping (RFC 8259 section 7).
///
/// Writing the text directly, instead of building a dictionary for `JSONSerialization`, is what lets the
/// generator write millions of records in seconds. Commas are placed automatically: every key or array element
/// after the first of its object or array gets one.
struct DemoJSONLine {
    /// The bytes of the line so far.
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// Creates an empty line with room for a typical record.
    init() {
        self.bytes.reserveCapacity(512)
    }

    /// Empties the line, keeping its storage.
    mutating func reset() {
        self.bytes.removeAll(keepingCapacity: true)
        self.needsComma = false
    }

    /// Opens an object: the record itself, or the value of the key just written.
    mutating func openObject() {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
        self.needsComma = false
    }

    /// Closes the innermost open object.
    mutating func closeObject() {
        self.bytes.append(UInt8(ascii: "}"))
        self.needsComma = true
    }

    /// Opens an array as the value of the key just written.
    mutating func openArray() {
        self.bytes.append(UInt8(ascii: "["))
        self.needsComma = false
    }

    /// Closes the innermost open array.
    mutating func closeArray() {
        self.bytes.append(UInt8(ascii: "]"))
        self.needsComma = true
    }

    /// Writes the member `key` with the string `value`, or nothing when `value` is `nil`.
    mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        self.string(value)
    }

    /// Writes `"name":`; `name` must need no escaping (the contract's keys do not).
    mutating func key(_ name: StaticString) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes.append(UInt8(ascii: ":"))
        self.needsComma = false
    }

    /// Writes `"name":`, escaping `name` (for keys that come from data, such as attribute names).
    mutating func key(_ name: String) {
        self.string(name)
        self.bytes.append(UInt8(ascii: ":"))
        self.needsComma = false
    }

    /// Writes a string value, or an array element, escaped.
    mutating func string(_ value: String) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { self.appendEscaped($0) }
        self.bytes.append(UInt8(ascii: "\""))
        self.needsComma = true
    }

    /// Writes a string value that is a time, in RFC 3339 (see ``DemoTimestamp``).
    mutating func time(_ seconds: Int64, milliseconds: Int? = nil, offsetMinutes: Int = 0) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        DemoTimestamp.append(
            seconds: seconds, milliseconds: milliseconds, offsetMinutes: offsetMinutes, to: &self.bytes)
        self.bytes.append(UInt8(ascii: "\""))
        self.needsComma = true
    }

    /// Writes a whole number.
    mutating func integer(_ value: Int) {
        self.separate()
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        self.appendDigits(value.magnitude)
        self.needsComma = true
    }

    /// Writes an amount given in cents as a decimal number with two decimals (`42.50`).
    mutating func cents(_ value: Int) {
        self.separate()
        if value < 0 { self.bytes.append(UInt8(ascii: "-")) }
        self.appendDigits(value.magnitude / 100)
        self.bytes.append(UInt8(ascii: "."))
        self.bytes.append(UInt8(ascii: "0") + UInt8(value.magnitude / 10 % 10))
        self.bytes.append(UInt8(ascii: "0") + UInt8(value.magnitude % 10))
        self.needsComma = true
    }

    /// Writes `true` or `false`.
    mutating func boolean(_ value: Bool) {
        self.separate()
        self.bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        self.needsComma = true
    }

    /// Writes `text` exactly as given, as the value of the key just written: a number already in JSON syntax,
    /// or, for the deliberately malformed rows, anything at all.
    mutating func raw(_ text: String) {
        self.separate()
        self.bytes.append(contentsOf: text.utf8)
        self.needsComma = true
    }

    /// Cuts the line to its first `count` bytes (a deliberately malformed row).
    mutating func truncate(to count: Int) {
        self.bytes.removeLast(self.bytes.count - count)
    }

    /// Appends `text` with `"`, `\\` and control characters escaped, copying the runs between them whole.
    private mutating func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
            runStart = index + 1
            self.bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): self.bytes.append(byte)
            case UInt8(ascii: "\n"): self.bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): self.bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): self.bytes.append(UInt8(ascii: "t"))
            default:
                self.bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                self.bytes.append(Self.hexDigits[Int(byte >> 4)])
                self.bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<text.count]))
    }

    private mutating func separate() {
        if self.needsComma { self.bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendDigits(_ value: UInt) {
        if value >= 10 { self.appendDigits(value / 10) }
        self.bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}
