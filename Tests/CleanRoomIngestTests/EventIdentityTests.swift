import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Testing

@testable import CleanRoomIngest

/// An event's identity within its person (README "Ingest"): the SHA-256 of the canonical JSON of its type, time in
/// milliseconds, amount, currency and sorted items. Databases hold these keys, so the hand-laid text must stay byte
/// for byte the canonical object's, and the time parser's fast path must agree with Foundation's.
struct EventIdentityTests {
    static func event(
        type: String = "purchase", at: Date, amount: Double? = nil, currency: String? = nil, items: [String] = []
    ) -> EventRecord {
        EventRecord(
            identifiers: RawIdentifiers(customerID: "c-1"), type: type, at: at, amount: amount, currency: currency,
            items: items)
    }

    static let events: [EventRecord] = [
        event(at: Date(timeIntervalSince1970: 1_790_000_000), amount: 42.5, currency: "EUR", items: ["sku-7", "sku-1"]),
        event(type: "visit", at: Date(timeIntervalSince1970: 1_790_000_000.4895)),
        event(at: Date(timeIntervalSince1970: 0), amount: 100, currency: "USD", items: ["sku-1", "sku-1"]),
        event(at: Date(timeIntervalSince1970: 1_600_000_000.001), amount: -0.1, currency: nil, items: []),
        event(type: "click", at: Date(timeIntervalSince1970: 1_700_000_000), amount: 1e16, items: ["Müsli \"bio\"", "ä\\b", "\u{1}"]),
    ]

    @Test(arguments: events)
    func theKeyIsTheHashOfTheCanonicalObject(_ event: EventRecord) {
        let milliseconds = Int((event.at.timeIntervalSince1970 * 1000).rounded())
        let canonical = CanonicalJSON.object([
            "type": .string(event.type), "at_ms": .integer(milliseconds),
            "amount": event.amount.map(CanonicalJSON.number) ?? .null,
            "currency": event.currency.map(CanonicalJSON.string) ?? .null,
            "items": .array(event.items.sorted().map(CanonicalJSON.string)),
        ])
        #expect(BatchWork.eventKey(event) == SHA256.hash(canonical.utf8))
    }

    @Test func theKeyOfAKnownEventNeverChanges() {
        // Pinned: a database ingested by an earlier version must see this event as a duplicate, not a new one.
        let key = BatchWork.eventKey(Self.events[0])
        #expect(Hex.encode(key) == Hex.encode(SHA256.hash(
            #"{"amount":42.5,"at_ms":1790000000000,"currency":"EUR","items":["sku-1","sku-7"],"type":"purchase"}"#)))
    }
}

/// The fast path of RFC 3339 times against Foundation's parser, which it stands in for.
struct RFC3339FastPathTests {
    static let foundation = Date.ISO8601FormatStyle()
    static let foundationFractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    @Test func everyTimeItReadsIsFoundationsTimeToTheMicrosecond() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            // Any second from 1900 to 2100, whole or with 1 to 9 fraction digits.
            let second = Int.random(in: -2_208_988_800...4_102_444_799, using: &generator)
            var text = Date(timeIntervalSince1970: Double(second)).formatted(Self.foundation).dropLast().description
            let digits = Int.random(in: 0...9, using: &generator)
            if digits > 0 {
                text += "." + String((0..<digits).map { _ in "0123456789".randomElement(using: &generator)! })
            }
            text += "Z"
            let fast = RFC3339.parseUTC(text)
            let reference = digits > 0 ? try? Self.foundationFractional.parse(text) : try? Self.foundation.parse(text)
            #expect(fast != nil, "\(text)")
            if let fast, let reference {
                #expect(abs(fast.timeIntervalSince(reference)) < 1e-6, "\(text)")
            }
        }
    }

    @Test(arguments: [
        "2026-02-29T10:00:00Z", "2025-13-01T10:00:00Z", "2025-04-31T10:00:00Z", "2025-01-01T24:00:00Z",
        "2025-01-01T10:60:00Z", "2016-12-31T23:59:60Z", "2025-01-01T10:00:00+01:00", "2025-01-01 10:00:00Z",
        "2025-01-01T10:00:00.Z", "2025-01-01T10:00:00.1234567890Z", "2025-01-01T10:00:00", "２０２５-01-01T10:00:00Z",
    ])
    func shapesItDoesNotTakeAreLeftToFoundation(_ text: String) {
        #expect(RFC3339.parseUTC(text) == nil)
    }

    @Test func leapDaysAndTheEpochAreRight() {
        #expect(RFC3339.parseUTC("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(RFC3339.parseUTC("2024-02-29T12:00:00Z") == Date(timeIntervalSince1970: 1_709_208_000))
        #expect(RFC3339.parseUTC("2000-02-29T00:00:00.5Z") == Date(timeIntervalSince1970: 951_782_400.5))
        #expect(RFC3339.parseUTC("1900-02-28T00:00:00Z") == Date(timeIntervalSince1970: -2_203_977_600))
    }
}
