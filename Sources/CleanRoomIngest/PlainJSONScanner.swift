import Foundation

/// The reading of plain JSON that the fast paths of JSON Lines parsing share (``RecordParser/usualEvent(_:)``,
/// ``RecordParser/usualCustomer(_:line:)``): strings without escapes, plain numbers and literals. Each read gives up,
/// with `nil` or `false`, at the first byte outside what it reads; the line then goes to the general path.
struct PlainJSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether nothing but white space is left.
    var isAtEnd: Bool {
        mutating get {
            self.skipWhiteSpace()
            return self.index == self.bytes.count
        }
    }

    /// Steps over JSON white space (space, tab, line feed, carriage return).
    mutating func skipWhiteSpace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }

    /// The next byte after optional white space, not taken; `nil` at the end.
    mutating func peek() -> UInt8? {
        self.skipWhiteSpace()
        return self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    /// Takes `byte` after optional white space.
    mutating func consume(_ byte: UInt8) -> Bool {
        self.skipWhiteSpace()
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    /// A string without escapes or control characters, of printable ASCII unless `allowingUTF8`: the range of its
    /// characters. Bytes of 0x80 and above it lets through unchecked; whoever makes text of them validates them.
    mutating func plainString(allowingUTF8: Bool = false) -> Range<Int>? {
        guard self.consume(UInt8(ascii: "\"")) else { return nil }
        let start = self.index
        let limit: UInt8 = allowingUTF8 ? 0xFF : 0x7F
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            if byte == UInt8(ascii: "\"") { return start..<(self.index - 1) }
            guard byte >= 0x20, byte <= limit, byte != UInt8(ascii: "\\") else { return nil }
        }
        return nil
    }

    /// An array of plain ASCII strings (``plainString(allowingUTF8:)``).
    mutating func plainStrings() -> [Range<Int>]? {
        guard self.consume(UInt8(ascii: "[")) else { return nil }
        var ranges: [Range<Int>] = []
        if self.consume(UInt8(ascii: "]")) { return ranges }
        repeat {
            guard let range = self.plainString() else { return nil }
            ranges.append(range)
        } while self.consume(UInt8(ascii: ","))
        return self.consume(UInt8(ascii: "]")) ? ranges : nil
    }

    /// Powers of ten a `Double` holds exactly.
    private static let exactPowersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }

    /// A number without sign or exponent, of at most 15 digits: its value is its digits, exact in a `Double`,
    /// divided by an exact power of ten, one correctly rounded division; so it is the `Double` nearest the
    /// decimal, as the general path's `Double(String)` gives (and its integers, which are exact).
    mutating func plainAmount() -> Double? {
        self.skipWhiteSpace()
        var digits: UInt64 = 0
        var count = 0
        var fractionDigits = 0
        var inFraction = false
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                // Wrapping: a run of more digits than a UInt64 holds is refused by the count below, not trapped.
                digits = digits &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                count += 1
                fractionDigits += inFraction ? 1 : 0
            } else if byte == UInt8(ascii: "."), !inFraction, self.index > start {
                inFraction = true
            } else {
                break
            }
            self.index += 1
        }
        let integerDigits = count - fractionDigits
        // JSON allows no leading zero (`01`), no bare `.` and no `1.`; an exponent goes to the general path.
        guard count > 0, count <= 15, integerDigits > 0, !inFraction || fractionDigits > 0,
            integerDigits == 1 || self.bytes[start] != UInt8(ascii: "0")
        else { return nil }
        if self.index < self.bytes.count, (self.bytes[self.index] | 0x20) == UInt8(ascii: "e") { return nil }
        return Double(digits) / Self.exactPowersOfTen[fractionDigits]
    }

    /// The literal `word` (`true`, `false`) after optional white space.
    mutating func literal(_ word: StaticString) -> Bool {
        self.skipWhiteSpace()
        let count = word.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count,
            word.withUTF8Buffer({ $0.elementsEqual(self.bytes[self.index..<self.index + count]) })
        else { return false }
        self.index += count
        return true
    }

    /// A JSON integer of at most 15 digits, without fraction or exponent: the `Int` the general path reads.
    mutating func plainInteger() -> Int? {
        self.skipWhiteSpace()
        let negative = self.index < self.bytes.count && self.bytes[self.index] == UInt8(ascii: "-")
        if negative { self.index += 1 }
        let start = self.index
        var value = 0
        while self.index < self.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index]) {
            // Wrapping, as in ``plainAmount()``: a longer run is refused by the count below.
            value = value &* 10 &+ Int(self.bytes[self.index] - UInt8(ascii: "0"))
            self.index += 1
        }
        let count = self.index - start
        guard count > 0, count <= 15, count == 1 || self.bytes[start] != UInt8(ascii: "0") else { return nil }
        if self.index < self.bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(self.bytes[self.index]) {
            return nil
        }
        return negative ? -value : value
    }
}

/// Whether two runs of bytes are the same: how the fast paths match a name in a line against the names they know.
func sameBytes(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
    first.count == second.count && (first.isEmpty || memcmp(first.baseAddress!, second.baseAddress!, first.count) == 0)
}

/// Whether `second` holds the bytes of `first`.
func sameBytes(_ first: [UInt8], _ second: UnsafeBufferPointer<UInt8>) -> Bool {
    first.withUnsafeBufferPointer { sameBytes($0, second) }
}
