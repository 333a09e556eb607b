/// What `cleanroom demo generate` wrote: lines per file, the people and their identifiers, the second records
/// and what they share, events by type, and the deliberately bad rows per file and kind.
struct DemoSummary: Sendable, CustomStringConvertible {
    /// The number of people (each has one primary customer record).
    var people = 0
    /// People with an e-mail address.
    var peopleWithEmail = 0
    /// People with a phone number.
    var peopleWithPhone = 0
    /// People with an advertising id.
    var peopleWithDeviceID = 0
    /// People who answered the consent banner.
    var peopleWithConsent = 0
    /// Second customer records, by the identifier they share with the primary record.
    var secondRecords: [DemoSharedIdentifier: Int] = [:]
    /// Good events by type.
    var events: [String: Int] = [:]
    /// Good consent records.
    var consentRecords = 0
    /// Bad rows by kind in `customers.jsonl`.
    var badCustomers: [DemoBadRow: Int] = [:]
    /// Bad rows by kind in `events.jsonl`.
    var badEvents: [DemoBadRow: Int] = [:]
    /// Bad rows by kind in `consents.jsonl`.
    var badConsents: [DemoBadRow: Int] = [:]
    /// Lines written to `customers.jsonl`.
    var customerLines = 0
    /// Lines written to `events.jsonl`.
    var eventLines = 0
    /// Lines written to `consents.jsonl`.
    var consentLines = 0

    /// The summary as the command prints it on standard error.
    var description: String {
        let secondTotal = self.secondRecords.values.reduce(0, +)
        let eventTotal = self.events.values.reduce(0, +)
        var lines = [
            "customers.jsonl: \(Self.grouped(self.customerLines)) lines: \(Self.grouped(self.people)) people "
                + "(e-mail \(self.percent(self.peopleWithEmail)), phone \(self.percent(self.peopleWithPhone)), "
                + "device id \(self.percent(self.peopleWithDeviceID)), "
                + "consent \(self.percent(self.peopleWithConsent))), "
                + "\(Self.grouped(secondTotal)) second records from another source, "
                + "\(Self.grouped(Self.total(self.badCustomers))) bad rows",
            "  second records sharing: "
                + Self.list(DemoSharedIdentifier.allCases.map { ($0.rawValue, self.secondRecords[$0] ?? 0) }),
            "events.jsonl: \(Self.grouped(self.eventLines)) lines: \(Self.grouped(eventTotal)) events ("
                + Self.list(["visit", "click", "add_to_cart", "purchase"].map { ($0, self.events[$0] ?? 0) })
                + "), \(Self.grouped(Self.total(self.badEvents))) bad rows",
            "consents.jsonl: \(Self.grouped(self.consentLines)) lines: \(Self.grouped(self.consentRecords)) consent "
                + "changes, \(Self.grouped(Self.total(self.badConsents))) bad rows",
            "bad rows by kind:",
        ]
        for (file, counts, kinds) in [
            ("customers.jsonl", self.badCustomers, DemoBadRow.customerKinds),
            ("events.jsonl", self.badEvents, DemoBadRow.eventKinds),
            ("consents.jsonl", self.badConsents, DemoBadRow.consentKinds),
        ] {
            lines.append("  \(file): " + Self.list(kinds.map { ($0.rawValue, counts[$0] ?? 0) }))
        }
        return lines.joined(separator: "\n")
    }

    private func percent(_ count: Int) -> String {
        let tenths = self.people == 0 ? 0 : (count * 1000 + self.people / 2) / self.people
        return "\(tenths / 10).\(tenths % 10) %"
    }

    private static func total(_ counts: [DemoBadRow: Int]) -> Int {
        counts.values.reduce(0, +)
    }

    private static func list(_ entries: [(String, Int)]) -> String {
        entries.map { "\($0.0) \(Self.grouped($0.1))" }.joined(separator: ", ")
    }

    /// `count` with thousands separated by commas.
    static func grouped(_ count: Int) -> String {
        let digits = String(count)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}
