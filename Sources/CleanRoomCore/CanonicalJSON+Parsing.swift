extension CanonicalJSON {
    /// An error of ``parse(_:)``: where the text stops being JSON (RFC 8259).
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The byte offset of the problem.
        public var offset: Int
        /// What was expected there.
        public var message: String

        public var description: String { "invalid JSON at byte \(self.offset): \(self.message)" }
    }

    /// Parses one JSON value (RFC 8259) from UTF-8 bytes, with nothing but white space around it.
    ///
    /// Written for the ingestion gateway, where Foundation's `JSONDecoder` into this type was the largest
    /// single cost (a quarter of all ingest time, measured with `perf`): this parser reads the bytes once and
    /// builds the value directly. Whole numbers that fit an `Int` become integers, other numbers doubles, as
    /// the `Decodable` conformance does.
    public static func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> CanonicalJSON {
        var parser = Parser(bytes: Array(bytes))
        parser.skipWhiteSpace()
        let value = try parser.value(depth: 0)
        parser.skipWhiteSpace()
        guard parser.index == parser.bytes.count else { throw parser.error("end of input") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        static let maximumDepth = 64

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ expected: String) -> ParseError { ParseError(offset: self.index, message: "expected \(expected)") }

        mutating func skipWhiteSpace() {
            while self.index < self.bytes.count {
                switch self.bytes[self.index] {
                case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(ParseError) -> CanonicalJSON {
            guard depth < Self.maximumDepth else { throw self.error("less nesting") }
            guard self.index < self.bytes.count else { throw self.error("a value") }
            switch self.bytes[self.index] {
            case UInt8(ascii: "{"): return try self.object(depth: depth)
            case UInt8(ascii: "["): return try self.array(depth: depth)
            case UInt8(ascii: "\""): return .string(try self.string())
            case UInt8(ascii: "t"): try self.literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try self.literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try self.literal("null"); return .null
            default: return try self.number()
            }
        }

        mutating func literal(_ word: StaticString) throws(ParseError) {
            let length = word.utf8CodeUnitCount
            guard self.index + length <= self.bytes.count else { throw self.error("\(word)") }
            for offset in 0..<length where self.bytes[self.index + offset] != word.utf8Start[offset] {
                throw self.error("\(word)")
            }
            self.index += length
        }

        mutating func object(depth: Int) throws(ParseError) -> CanonicalJSON {
            self.index += 1
            var members: [String: CanonicalJSON] = [:]
            members.reserveCapacity(8)
            self.skipWhiteSpace()
            if self.index < self.bytes.count && self.bytes[self.index] == UInt8(ascii: "}") {
                self.index += 1
                return .object(members)
            }
            while true {
                self.skipWhiteSpace()
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                    throw self.error("a member name")
                }
                let key = try self.string()
                self.skipWhiteSpace()
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else {
                    throw self.error(":")
                }
                self.index += 1
                self.skipWhiteSpace()
                let member = try self.value(depth: depth + 1)
                guard members.updateValue(member, forKey: key) == nil else { throw self.error("no duplicate names") }
                self.skipWhiteSpace()
                guard self.index < self.bytes.count else { throw self.error(", or }") }
                switch self.bytes[self.index] {
                case UInt8(ascii: ","): self.index += 1
                case UInt8(ascii: "}"): self.index += 1; return .object(members)
                default: throw self.error(", or }")
                }
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> CanonicalJSON {
            self.index += 1
            var elements: [CanonicalJSON] = []
            self.skipWhiteSpace()
            if self.index < self.bytes.count && self.bytes[self.index] == UInt8(ascii: "]") {
                self.index += 1
                return .array(elements)
            }
            while true {
                self.skipWhiteSpace()
                elements.append(try self.value(depth: depth + 1))
                self.skipWhiteSpace()
                guard self.index < self.bytes.count else { throw self.error(", or ]") }
                switch self.bytes[self.index] {
                case UInt8(ascii: ","): self.index += 1
                case UInt8(ascii: "]"): self.index += 1; return .array(elements)
                default: throw self.error(", or ]")
                }
            }
        }

        mutating func string() throws(ParseError) -> String {
            self.index += 1
            var output: [UInt8] = []
            let start = self.index
            // Fast path: no escapes. ASCII text needs no UTF-8 validation, which is generic and not cheap.
            var allBytes: UInt8 = 0
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                if byte == UInt8(ascii: "\"") {
                    let characters = self.bytes[start..<self.index]
                    let text = allBytes < 0x80
                        ? String(decoding: characters, as: UTF8.self) : String(validating: characters, as: UTF8.self)
                    self.index += 1
                    guard let text else { throw ParseError(offset: start, message: "expected UTF-8") }
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                allBytes |= byte
                self.index += 1
            }
            output.append(contentsOf: self.bytes[start..<self.index])
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                switch byte {
                case UInt8(ascii: "\""):
                    self.index += 1
                    guard let text = String(validating: output, as: UTF8.self) else {
                        throw ParseError(offset: start, message: "expected UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    self.index += 1
                    guard self.index < self.bytes.count else { throw self.error("an escape") }
                    let escape = self.bytes[self.index]
                    self.index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                    case UInt8(ascii: "b"): output.append(0x08)
                    case UInt8(ascii: "f"): output.append(0x0C)
                    case UInt8(ascii: "n"): output.append(0x0A)
                    case UInt8(ascii: "r"): output.append(0x0D)
                    case UInt8(ascii: "t"): output.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try self.hex4()
                        if (0xD800...0xDBFF).contains(scalar) {
                            guard self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
                                self.bytes[self.index + 1] == UInt8(ascii: "u")
                            else { throw self.error("a low surrogate") }
                            self.index += 2
                            let low = try self.hex4()
                            guard (0xDC00...0xDFFF).contains(low) else { throw self.error("a low surrogate") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw self.error("a Unicode scalar") }
                        output.append(contentsOf: String(Character(unicode)).utf8)
                    default:
                        throw self.error("a valid escape")
                    }
                default:
                    guard byte >= 0x20 else { throw self.error("no control character in a string") }
                    output.append(byte)
                    self.index += 1
                }
            }
            throw self.error("the end of the string")
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard self.index + 4 <= self.bytes.count else { throw self.error("4 hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = self.bytes[self.index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw self.error("4 hex digits")
                }
                value = value << 4 | digit
                self.index += 1
            }
            return value
        }

        mutating func number() throws(ParseError) -> CanonicalJSON {
            let start = self.index
            var isInteger = true
            if self.index < self.bytes.count && self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
            guard self.index < self.bytes.count, Self.isDigit(self.bytes[self.index]) else { throw self.error("a value") }
            if self.bytes[self.index] == UInt8(ascii: "0") {
                self.index += 1
            } else {
                while self.index < self.bytes.count && Self.isDigit(self.bytes[self.index]) { self.index += 1 }
            }
            if self.index < self.bytes.count && self.bytes[self.index] == UInt8(ascii: ".") {
                isInteger = false
                self.index += 1
                guard self.index < self.bytes.count, Self.isDigit(self.bytes[self.index]) else { throw self.error("a digit") }
                while self.index < self.bytes.count && Self.isDigit(self.bytes[self.index]) { self.index += 1 }
            }
            if self.index < self.bytes.count && (self.bytes[self.index] | 0x20) == UInt8(ascii: "e") {
                isInteger = false
                self.index += 1
                if self.index < self.bytes.count && (self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-")) {
                    self.index += 1
                }
                guard self.index < self.bytes.count, Self.isDigit(self.bytes[self.index]) else { throw self.error("a digit") }
                while self.index < self.bytes.count && Self.isDigit(self.bytes[self.index]) { self.index += 1 }
            }
            let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
            if isInteger, let integer = Int(text) { return .integer(integer) }
            guard let number = Double(text), number.isFinite else {
                throw ParseError(offset: start, message: "expected a finite number")
            }
            // A whole number written with a fraction or exponent (1e3, 2.0) is an integer, as for `Decodable`.
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return .integer(Int(number)) }
            return .number(number)
        }

        static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    }
}
