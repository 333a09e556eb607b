import CleanRoomCore
import Foundation
import Testing

/// The table of messy real-world identifiers in `Tests/crosscheck/identifier_cases.json`, shared with
/// `Tests/crosscheck/phone_crosscheck.py`. Its hashes were computed with `printf '%s' VALUE | sha256sum`.
///
/// The file is found from this source file's path (`#filePath`) and lives outside the test target's folder,
/// so the target needs neither a `resources:` nor an `exclude:` entry.
struct IdentifierFixture: Decodable {
    /// What one rule should give: a value and its SHA-256, or a rejection code.
    struct Expectation: Decodable, Sendable {
        var value: String?
        var sha256: String?
        var reject: String?
    }

    struct EmailRow: Decodable, Sendable, CustomTestStringConvertible {
        var raw: String
        var note: String?
        var basic: Expectation
        var google: Expectation
        var gmailDots: Expectation
        var uid2: Expectation

        enum CodingKeys: String, CodingKey {
            case raw, note, basic, google, gmailDots = "gmail_dots", uid2
        }

        func expectation(for profile: EmailProfile) -> Expectation {
            switch profile {
            case .basic: self.basic
            case .google: self.google
            case .gmailDots: self.gmailDots
            case .uid2: self.uid2
            }
        }

        var testDescription: String { self.note ?? self.raw.debugDescription }
    }

    struct PhoneRow: Decodable, Sendable, CustomTestStringConvertible {
        var raw: String
        var region: String?
        var note: String?
        var e164: Expectation?
        var digits: Expectation?
        var reject: String?

        var testDescription: String { "\(self.region ?? "no region") \(self.note ?? self.raw.debugDescription)" }
    }

    struct PlainRow: Decodable, Sendable, CustomTestStringConvertible {
        var raw: String
        var note: String?
        var value: String?
        var sha256: String?
        var reject: String?

        var testDescription: String { self.note ?? self.raw.debugDescription }
    }

    var email: [EmailRow]
    var phone: [PhoneRow]
    var deviceID: [PlainRow]
    var customerID: [PlainRow]

    enum CodingKeys: String, CodingKey {
        case email, phone, deviceID = "device_id", customerID = "customer_id"
    }

    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("crosscheck/identifier_cases.json")

    static func load() throws -> IdentifierFixture {
        try JSONDecoder().decode(IdentifierFixture.self, from: Data(contentsOf: self.url))
    }
}

/// The name of the ``IdentifierError`` code `body` throws, `nil` when it returns.
func rejectionCode(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as IdentifierError {
        return error.code.name
    } catch {
        return "not an IdentifierError: \(error)"
    }
}
