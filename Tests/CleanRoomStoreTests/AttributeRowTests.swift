import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomStore

/// A subject's attribute row is written straight as text; it is the canonical JSON of its members.
struct AttributeRowTests {
    static let attributeSets: [[String: String]] = [
        [:],
        ["country": "DE"],
        ["country": "DE", "age_band": "25-34", "city": "München", "loyalty_tier": "gold", "household_size": "4"],
        ["quote\"key": "back\\slash", "tab": "a\tb\nc\u{01}", "\u{FFFD}": "😀", "😀": "\u{FFFD}", "": ""],
    ]

    @Test(arguments: attributeSets)
    func isTheCanonicalJSONOfItsMembers(_ attributes: [String: String]) {
        let time = Date(timeIntervalSince1970: 1_767_225_600.123)
        let milliseconds = Int(time.storedMilliseconds)
        let expected = CanonicalJSON.object(attributes.mapValues { .array([.string($0), .integer(milliseconds)]) })
        let row = AttributeRow(attributes, at: time)
        #expect(row.text == expected.text)
        #expect(row.isEmpty == attributes.isEmpty)
    }
}
