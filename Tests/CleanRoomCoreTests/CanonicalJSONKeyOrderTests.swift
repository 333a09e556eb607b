import CleanRoomCore
import Testing

/// Object keys sort by their UTF-16 code units (RFC 8785), however ``CanonicalJSON/keyPrecedes(_:_:)`` compares them.
struct CanonicalJSONKeyOrderTests {
    /// Characters from every range where UTF-8 and UTF-16 order could part: ASCII, two- and three-byte
    /// characters below the surrogates, U+E000–U+FFFF (after the surrogates in UTF-16) and beyond U+FFFF.
    static let alphabet: [Character] = ["a", "b", "_", "~", "\u{7F}", "é", "ß", "\u{7FF}", "中", "\u{D7FF}", "\u{E000}",
        "\u{F8FF}", "\u{FB01}", "\u{FFFD}", "\u{FFFF}", "😀", "\u{10000}", "\u{10FFFF}"]

    @Test func ordersAsUTF16CodeUnitsDo() {
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let keys = (0..<400).map { _ in String((0..<next(4)).map { _ in Self.alphabet[next(Self.alphabet.count)] }) }
        for key in keys {
            for other in keys.prefix(200) {
                let expected = key.utf16.lexicographicallyPrecedes(other.utf16)
                #expect(CanonicalJSON.keyPrecedes(key, other) == expected, "\(key.unicodeScalars) vs \(other.unicodeScalars)")
            }
        }
        // The case where the two orders part: U+FFFD sorts after 😀 (U+1F600, surrogates D83D DE00) in UTF-16.
        #expect(CanonicalJSON.keyPrecedes("😀", "\u{FFFD}"))
        #expect(!CanonicalJSON.keyPrecedes("\u{FFFD}", "😀"))
    }

    /// Only `"`, `\` and control characters are escaped, in short strings (held inline) and long ones alike.
    @Test func stringsAreEscapedOnlyWhereJSONNeedsIt() {
        #expect(CanonicalJSON.string("é😀 plain").text == "\"é😀 plain\"")
        #expect(CanonicalJSON.string(String(repeating: "long ü ", count: 9)).text
            == "\"" + String(repeating: "long ü ", count: 9) + "\"")
        #expect(CanonicalJSON.string("a\"b\\c\nd\u{01}\u{1F}é").text == #""a\"b\\c\nd\u0001\u001fé""#)
        let long = String(repeating: "x", count: 20) + "\t\u{7F}\r\u{08}\u{0C}"
        #expect(CanonicalJSON.string(long).text == "\"" + String(repeating: "x", count: 20) + #"\t\#u{7F}\r\b\f""#)
    }

    @Test func objectsAreWrittenInThatOrder() {
        let object = CanonicalJSON.object(["\u{FFFD}": .integer(1), "😀": .integer(2), "b": .integer(3), "a": .null])
        #expect(object.text == #"{"a":null,"b":3,"😀":2,"\#u{FFFD}":1}"#)
    }
}
