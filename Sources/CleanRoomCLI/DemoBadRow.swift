/// The kinds of deliberately bad rows in a demo data set: one for each reason the ingest must reject a row.
enum DemoBadRow: String, CaseIterable, Sendable {
    /// An e-mail address that is no address.
    case invalidEmail = "invalid_email"
    /// A phone number libphonenumber rejects.
    case invalidPhone = "invalid_phone"
    /// The all-zero advertising id of a device that limits ad tracking.
    case allZeroDeviceID = "all_zero_device_id"
    /// An attribute the policy does not declare.
    case unknownAttribute = "unknown_attribute"
    /// A declared attribute with a value the policy does not allow.
    case attributeValueNotAllowed = "attribute_value_not_allowed"
    /// An event type the policy does not declare.
    case unknownEventType = "unknown_event_type"
    /// A consent purpose the policy does not declare.
    case unknownPurpose = "unknown_purpose"
    /// An event or consent record for a person no customer record introduces.
    case unknownPerson = "unknown_person"
    /// A record without any identifier.
    case missingIdentifier = "missing_identifier"
    /// A line that is not JSON (a record cut short, as by a crashed export).
    case malformedJSON = "malformed_json"
    /// A time that is not RFC 3339.
    case badTimestamp = "bad_timestamp"

    /// The kinds in `customers.jsonl`.
    static let customerKinds: [DemoBadRow] = [
        .invalidEmail, .invalidPhone, .allZeroDeviceID, .unknownAttribute, .attributeValueNotAllowed,
        .missingIdentifier, .malformedJSON, .badTimestamp,
    ]
    /// The kinds in `events.jsonl`.
    static let eventKinds: [DemoBadRow] = [
        .unknownEventType, .unknownPerson, .missingIdentifier, .malformedJSON, .badTimestamp,
    ]
    /// The kinds in `consents.jsonl`.
    static let consentKinds: [DemoBadRow] = [
        .unknownPurpose, .unknownPerson, .missingIdentifier, .malformedJSON, .badTimestamp,
    ]

    /// The share of bad rows among the good rows of each file.
    static let rate = 0.025

    /// Cuts `line` short at a random place before its closing brace, never inside a UTF-8 sequence (the ingest
    /// must see a bad record, not a file in the wrong encoding).
    static func truncate(_ line: inout DemoJSONLine, _ random: inout DemoRandom) {
        var cut = 1 + random.below(line.bytes.count - 1)
        while line.bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        line.truncate(to: cut)
    }
}

/// Decides after each good row whether a bad row follows, and of which kind: a bad row follows with probability
/// ``DemoBadRow/rate``, and the kinds take turns, so that every kind appears even in a small data set.
struct DemoBadRowSchedule: Sendable {
    /// The kinds of the file, in turn order.
    let kinds: [DemoBadRow]
    /// How many bad rows of each kind were scheduled.
    private(set) var counts: [DemoBadRow: Int] = [:]
    private var total = 0

    /// Creates the schedule of a file with `kinds`.
    init(kinds: [DemoBadRow]) {
        self.kinds = kinds
    }

    /// The kind of bad row to write after a good row, or `nil` for none.
    mutating func next(_ random: inout DemoRandom) -> DemoBadRow? {
        guard random.chance(DemoBadRow.rate) else { return nil }
        let kind = self.kinds[self.total % self.kinds.count]
        self.total += 1
        self.counts[kind, default: 0] += 1
        return kind
    }
}
