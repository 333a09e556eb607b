import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomIngest

/// The fast path for usual customer lines against the general path it stands in for: whatever line it accepts,
/// the general path accepts too and makes the same record of, so that every reject is still the general path's.
struct UsualCustomerLineTests {
    static let parser = UsualEventLineTests.parser

    /// Lines of every shape the fast path takes: each identifier kind, attributes of every type, consent choices,
    /// non-ASCII text, fields in any order, white space between tokens.
    static let usualLines = [
        #"{"type":"customer","customer_id":"c-0000001","email":"moserm76@t-online.de","phone":"01715113652","attributes":{"country":"DE","city":"München","age_band":"45-54","gender":"unspecified","loyalty_tier":"silver","household_size":4,"newsletter_subscriber":true},"consent":{"analytics":true,"ads_measurement":false,"ads_personalization":false,"partner_matching":false},"consent_at":"2024-12-21T13:24:15Z","source":"web"}"#,
        #"{"type":"customer","email":"moreau.manon52@orange.fr","phone":"+33 1 4180 1428","device_id":"45E76CA7-99DD-449F-8A4F-762B8938B0C0","attributes":{"preferred_channel":"store","newsletter_subscriber":false},"consent":{"analytics":true},"consent_at":"2026-09-10T07:18:10.316Z","source":"app"}"#,
        #"{"type":"customer","device_id":"6d92078a82464ba4ae5b76104861e7dc"}"#,
        #"{"source":"crm","attributes":{},"consent":{},"customer_id":"c-9","type":"customer"}"#,
        #" { "type" : "customer" , "customer_id" : "c-10" , "attributes" : { "household_size" : 12 , "city" : "Łódź 🏙" } , "consent_at" : "2025-01-01T00:00:00Z" } "#,
        #"{"type":"customer","phone":"0157/03278332","attributes":{"country":"AT","city":""},"consent":{"partner_matching":true},"consent_at":"2025-06-30T23:59:59+02:00"}"#,
    ]

    /// What the general path makes of `line`.
    static func general(_ line: [UInt8]) -> Result<IngestRecord, IngestReject>? {
        guard case .object(let object)? = try? CanonicalJSON.parse(line) else { return nil }
        return self.parser.parse(json: object, line: 1)
    }

    static func fast(_ line: [UInt8]) -> CustomerRecord? {
        self.parser.usualCustomer(line[...], line: 1)
    }

    @Test(arguments: usualLines)
    func aUsualLineTakesTheFastPathToTheGeneralPathsRecord(_ line: String) throws {
        let record = try #require(Self.fast(Array(line.utf8)))
        #expect(Self.general(Array(line.utf8)) == .success(.customer(record)))
    }

    @Test(arguments: usualLines)
    func noMutationOfAUsualLineMakesTheFastPathDisagree(_ line: String) {
        // Each byte deleted, doubled, or replaced by a byte that matters to JSON, to UTF-8 or to the checks; every
        // line the fast path still takes must be one the general path takes to the same record.
        let bytes = Array(line.utf8)
        let mutants = lineMutants(
            bytes, replacements: Array(#" "\,:{}[]01259.-eE+tfnZx"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF])
        var taken = 0
        for mutant in mutants {
            guard let record = Self.fast(mutant) else { continue }
            taken += 1
            #expect(Self.general(mutant) == .success(.customer(record)), "\(String(decoding: mutant, as: UTF8.self))")
        }
        // The mutants that stay usual (another digit, another letter of a value) are many: the comparison is not
        // vacuous.
        #expect(taken > bytes.count / 3)
    }

    @Test(arguments: [
        // Rejected by the general path, each for its own reason: the fast path gives them all to it.
        #"{"type":"customer","attributes":{"country":"DE"}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"colour":"red"}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"country":"XX"}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"household_size":13}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"household_size":"4"}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"newsletter_subscriber":"yes"}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"city":null}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"country":"DE","country":"AT"}}"#,
        #"{"type":"customer","customer_id":"c-1","consent":{"analytics":true}}"#,
        #"{"type":"customer","customer_id":"c-1","consent":{"dating":true},"consent_at":"2025-01-01T00:00:00Z"}"#,
        #"{"type":"customer","customer_id":"c-1","consent":{"analytics":1},"consent_at":"2025-01-01T00:00:00Z"}"#,
        #"{"type":"customer","customer_id":"c-1","consent_at":"2099-01-01T00:00:00Z"}"#,
        #"{"type":"customer","customer_id":"c-1","consent_at":"yesterday"}"#,
        #"{"type":"customer","customer_id":7}"#,
        #"{"type":"customer","customer_id":"c-1","customer_id":"c-2"}"#,
        #"{"type":"customer","customer_id":"c-1","colour":"red"}"#,
        #"{"type":"customer","customer_id":"c-1"} x"#,
        #"{"type":"event","customer_id":"c-1","event":"click","at":"2025-11-03T09:55:16Z"}"#,
        // Valid, but not usual: an escape, a TC string, a number written with a fraction, an attribute given as
        // a whole number with a fraction.
        #"{"type":"customer","customer_id":"c-\u0031"}"#,
        #"{"type":"customer","customer_id":"c-1","tc_string":"CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"household_size":4.0}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"household_size":4e0}}"#,
        // Longer than any integer: refused, not overflowed.
        #"{"type":"customer","customer_id":"c-1","attributes":{"household_size":99999999999999999999999999}}"#,
        #"{"type":"customer","customer_id":"c-1","attributes":{"household_size":-99999999999999999999999999}}"#,
    ])
    func anyOtherLineIsLeftToTheGeneralPath(_ line: String) {
        #expect(Self.fast(Array(line.utf8)) == nil)
    }

    @Test func invalidUTF8InAStringIsLeftToTheGeneralPath() {
        let line = Array(#"{"type":"customer","customer_id":"c-"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(Self.fast(line) == nil)
        #expect(Self.general(line) == nil, "not JSON for the general path either")
    }
}
