import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomIngest

/// The fast path for usual event lines against the general path it stands in for: whatever line it accepts, the
/// general path accepts too and makes the same record of, so that every reject is still the general path's.
struct UsualEventLineTests {
    static let parser: RecordParser = {
        let policy = try! PolicyLoader.load(contentsOf: defaultPolicyPath)
        return RecordParser(policy: policy, now: { Date(timeIntervalSince1970: 1_790_000_000) })
    }()

    /// Lines of every shape the fast path takes: each identifier kind, each event type, with and without amount
    /// and items, fields in any order, white space between tokens.
    static let usualLines = [
        #"{"type":"event","customer_id":"c-0000001","event":"click","at":"2025-11-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-12-21T18:54:03Z","amount":75.94,"currency":"EUR","items":["sku-10132","sku-11394"]}"#,
        #"{"type":"event","email":"moserm76@t-online.de","event":"visit","at":"2026-03-22T19:24:20Z"}"#,
        #"{"type":"event","phone":"+49 30 1234567","device_id":"6f1c2a","event":"add_to_cart","at":"2026-01-02T03:04:05.678Z","items":[]}"#,
        #"{"at":"2026-01-02T03:04:05Z","items":["a"],"currency":"USD","amount":0,"event":"purchase","device_id":"x","type":"event"}"#,
        #" { "type" : "event" , "customer_id" : "c-2" , "event" : "purchase" , "at" : "2026-02-28T23:59:59Z" , "amount" : 0.05 , "currency" : "GBP" } "#,
        #"{"type":"event","customer_id":"c-3","event":"purchase","at":"2026-02-28T23:59:59Z","amount":123456789012.345,"currency":"JPY"}"#,
        #"{"type":"event","customer_id":"c-4","event":"purchase","at":"2026-02-28T23:59:59Z","currency":"CHF"}"#,
    ]

    /// What the general path makes of `line`.
    static func general(_ line: String) -> Result<IngestRecord, IngestReject>? {
        guard case .object(let object)? = try? CanonicalJSON.parse(Array(line.utf8)) else { return nil }
        return self.parser.parse(json: object, line: 1)
    }

    static func fast(_ line: [UInt8]) -> EventRecord? {
        self.parser.usualEvent(line[...])
    }

    @Test(arguments: usualLines)
    func aUsualLineTakesTheFastPathToTheGeneralPathsRecord(_ line: String) throws {
        let record = try #require(Self.fast(Array(line.utf8)))
        #expect(Self.general(line) == .success(.event(record)))
    }

    @Test(arguments: usualLines)
    func noMutationOfAUsualLineMakesTheFastPathDisagree(_ line: String) {
        // Each byte deleted, doubled, or replaced by a byte that matters to JSON or to the checks; every line the
        // fast path still takes must be one the general path takes to the same record.
        let bytes = Array(line.utf8)
        let mutants = lineMutants(bytes, replacements: Array(#" "\,:{}[]0159.-eE+Zx"#.utf8) + [0x00, 0x7F, 0xC3])
        var taken = 0
        for mutant in mutants {
            guard let record = Self.fast(mutant) else { continue }
            taken += 1
            let text = String(decoding: mutant, as: UTF8.self)
            #expect(Self.general(text) == .success(.event(record)), "\(text)")
        }
        // The mutants that stay usual (another digit, another identifier) are many: the comparison is not vacuous.
        #expect(taken > bytes.count / 2)
    }

    @Test(arguments: [
        // Rejected by the general path, each for its own reason: the fast path gives them all to it.
        #"{"type":"event","event":"click","at":"2025-11-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"teleport","at":"2025-11-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2025-11-03T09:55:16Z","amount":3,"currency":"EUR"}"#,
        #"{"type":"event","customer_id":"c-1","event":"visit","at":"2025-11-03T09:55:16Z","items":["a"]}"#,
        #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-11-03T09:55:16Z","amount":3}"#,
        #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-11-03T09:55:16Z","amount":3,"currency":"eur"}"#,
        #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-11-03T09:55:16Z","items":[""]}"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2099-11-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2025-13-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2025-11-03T09:55:16Z","colour":"red"}"#,
        #"{"type":"event","customer_id":"c-1","customer_id":"c-2","event":"click","at":"2025-11-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2025-11-03T09:55:16Z"} x"#,
        #"{"type":"customer","customer_id":"c-1"}"#,
        // Valid, but not usual: an escape, a non-ASCII string, an exponent, an offset time.
        #"{"type":"event","customer_id":"c-\u0031","event":"click","at":"2025-11-03T09:55:16Z"}"#,
        #"{"type":"event","email":"jürgen@example.de","event":"click","at":"2025-11-03T09:55:16Z"}"#,
        #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-11-03T09:55:16Z","amount":1e2,"currency":"EUR"}"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2025-11-03T10:55:16+01:00"}"#,
        // More digits than a UInt64 holds: refused, not overflowed.
        #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-11-03T09:55:16Z","amount":123456789012345678901234567890,"currency":"EUR"}"#,
    ])
    func anyOtherLineIsLeftToTheGeneralPath(_ line: String) {
        #expect(Self.fast(Array(line.utf8)) == nil)
    }

    @Test func amountsAreTheDoublesTheGeneralPathReads() {
        // Every split of these digit strings into whole and fraction digits: the nearest Double, as
        // `Double(String)` reads it, not a product of approximations.
        let digitStrings = ["1", "7", "10", "99", "1234", "75940", "100000001", "12345678901234", "999999999999999"]
        for digits in digitStrings {
            for point in 1...digits.count {
                let whole = digits.prefix(point)
                let fraction = digits.dropFirst(point)
                let text = fraction.isEmpty ? String(whole) : whole + "." + fraction
                let line = #"{"type":"event","customer_id":"c-1","event":"purchase","at":"2025-11-03T09:55:16Z","amount":"#
                    + text + #","currency":"EUR"}"#
                let record = Self.fast(Array(line.utf8))
                #expect(record?.amount == Double(text), "\(text)")
                #expect(record.map { Self.general(line) == .success(.event($0)) } == true, "\(text)")
            }
        }
    }
}
