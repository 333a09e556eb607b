import CleanRoomCore
import Foundation
import Testing

struct CanonicalJSONParsingTests {
    static let valid = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"  [ 1 , -2 , 3.5 , 1e3 , -0.25E-2 , 0 ]  "#,
        #""tab\tnewline\nquote\"backslash\\slash\/""#,
        #""\u00e9\u4e2d\ud83d\ude00 and raw é中😀""#,
        #"{"type":"event","amount":42.5,"items":["sku-1","sku-7"],"n":9007199254740993}"#,
        "{}", "[]", "\"\"", "0", "-0", "true", "null",
    ]

    @Test(arguments: valid)
    func agreesWithFoundation(_ text: String) throws {
        let ours = try CanonicalJSON.parse(Array(text.utf8))
        let foundation = try JSONDecoder().decode(CanonicalJSON.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(try CanonicalJSON.parse(ours.utf8) == ours, "its own canonical text reads back the same")
    }

    static let invalid = [
        "", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "[1 2]", "01", "1.", ".5", "+1", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud83d alone\"", "{\"a\":1,\"a\":2}", "1 2", "\"ctl \u{01}\"",
        "1e400", String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
    ]

    @Test(arguments: invalid)
    func rejects(_ text: String) {
        #expect(throws: CanonicalJSON.ParseError.self) { try CanonicalJSON.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8InAString() {
        #expect(throws: CanonicalJSON.ParseError.self) { try CanonicalJSON.parse([0x22, 0xC3, 0x28, 0x22]) }
    }
}
