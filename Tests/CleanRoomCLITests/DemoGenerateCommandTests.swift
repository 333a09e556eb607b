import ArgumentParser
import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomCLI

/// A generated data set in a temporary directory, with its lines.
struct DemoDataSet {
    let directory: TemporaryDirectory
    let summary: DemoSummary

    /// 2026-03-01T00:00:00Z, the end of every test data set.
    static let end: Int64 = 1_772_323_200

    /// Generates `customers` people with `seed` (through the generator, to get its summary).
    init(customers: Int, seed: UInt64 = 7, eventsPerCustomer: Int = 5) throws {
        self.directory = try TemporaryDirectory()
        self.summary = try DemoGenerator.generate(
            DemoGenerator.Options(
                customers: customers, eventsPerCustomer: eventsPerCustomer, seed: seed, end: Self.end),
            into: self.directory.url)
    }

    func lines(_ name: String) throws -> [String] { try self.directory.lines(name) }
    func bytes(_ name: String) throws -> Data { try Data(contentsOf: self.directory.url.appendingPathComponent(name)) }
}

/// The data set most tests look at: 2,000 people, checked line by line against the contract once.
struct CheckedDemoDataSet: Sendable {
    let summary: DemoSummary
    /// Defect counts per file, as the independent checker finds them.
    let customerDefects: [String: Int]
    let eventDefects: [String: Int]
    let consentDefects: [String: Int]
    /// Lines with more than one defect.
    let multipleDefects: Int
    /// The valid customer records, in file order: source, customer id, canonical identifier keys.
    let validCustomers: [(source: String, customerID: String?, identifiers: [String], email: String?)]
    /// The valid events: type, time (seconds since the epoch), amount, items.
    let validEvents: [(type: String, at: Int, amount: Double?, items: [String])]
    /// The valid consent records: time.
    let validConsentTimes: [Int]

    static let shared: Result<CheckedDemoDataSet, any Error> = Result { try CheckedDemoDataSet(customers: 2_000) }

    init(customers: Int) throws {
        let dataSet = try DemoDataSet(customers: customers)
        defer { dataSet.directory.remove() }
        self.summary = dataSet.summary
        var check = try DemoContractCheck()
        var multiple = 0
        var customerDefects: [String: Int] = [:]
        var validCustomers: [(source: String, customerID: String?, identifiers: [String], email: String?)] = []
        for line in try dataSet.lines("customers.jsonl") {
            let verdict = check.checkCustomer(line)
            if verdict.defects.count > 1 { multiple += 1 }
            if let defect = verdict.defects.first {
                customerDefects[defect, default: 0] += 1
            } else {
                validCustomers.append(
                    (verdict.object["source"] as? String ?? "", verdict.object["customer_id"] as? String,
                     verdict.identifiers, verdict.object["email"] as? String))
            }
        }
        var eventDefects: [String: Int] = [:]
        var validEvents: [(type: String, at: Int, amount: Double?, items: [String])] = []
        for line in try dataSet.lines("events.jsonl") {
            let verdict = check.checkEvent(line)
            if verdict.defects.count > 1 { multiple += 1 }
            if let defect = verdict.defects.first {
                eventDefects[defect, default: 0] += 1
            } else {
                validEvents.append(
                    (verdict.object["event"] as? String ?? "",
                     DemoContractCheck.rfc3339Seconds(verdict.object["at"]) ?? 0,
                     verdict.object["amount"] as? Double, verdict.object["items"] as? [String] ?? []))
            }
        }
        var consentDefects: [String: Int] = [:]
        var validConsentTimes: [Int] = []
        for line in try dataSet.lines("consents.jsonl") {
            let verdict = check.checkConsent(line)
            if verdict.defects.count > 1 { multiple += 1 }
            if let defect = verdict.defects.first {
                consentDefects[defect, default: 0] += 1
            } else {
                validConsentTimes.append(DemoContractCheck.rfc3339Seconds(verdict.object["at"]) ?? 0)
            }
        }
        self.customerDefects = customerDefects
        self.eventDefects = eventDefects
        self.consentDefects = consentDefects
        self.multipleDefects = multiple
        self.validCustomers = validCustomers
        self.validEvents = validEvents
        self.validConsentTimes = validConsentTimes
    }

    static func get() throws -> CheckedDemoDataSet { try self.shared.get() }
}

struct DemoGenerateCommandTests {
    // MARK: - The command

    @Test func commandWritesTheThreeFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.path("new/folder")
        var command = try DemoCommand.parseAsRoot([
            "generate", "--customers", "300", "--out", out, "--seed", "3", "--events-per-customer", "2",
            "--end-date", "2026-03-01",
        ])
        try command.run()
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["consents.jsonl", "customers.jsonl", "events.jsonl"])
        let customers = try String(contentsOfFile: out + "/customers.jsonl", encoding: .utf8)
        #expect(customers.split(separator: "\n").count >= 300)
        #expect(customers.hasSuffix("\n"))
    }

    @Test(arguments: [
        ["--customers", "0"], ["--customers", "10", "--events-per-customer", "-1"],
        ["--customers", "10", "--end-date", "2026-02-30"], ["--customers", "10", "--end-date", "1.3.2026"],
    ])
    func commandRejectsBadOptions(_ options: [String]) throws {
        #expect(throws: (any Error).self) {
            _ = try DemoCommand.parseAsRoot(["generate", "--out", "/tmp/never-written"] + options)
        }
    }

    @Test func commandRefusesAFileAsOutputFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.file("plain", lines: ["x"])
        var command = try DemoCommand.parseAsRoot(["generate", "--customers", "5", "--out", file])
        #expect(throws: DemoError.self) { try command.run() }
    }

    // MARK: - Determinism

    @Test func sameSeedGivesSameBytes() throws {
        let first = try DemoDataSet(customers: 500, seed: 11)
        defer { first.directory.remove() }
        let second = try DemoDataSet(customers: 500, seed: 11)
        defer { second.directory.remove() }
        for name in ["customers.jsonl", "events.jsonl", "consents.jsonl"] {
            #expect(try first.bytes(name) == (try second.bytes(name)), "\(name) differs between runs of one seed")
        }
        let other = try DemoDataSet(customers: 500, seed: 12)
        defer { other.directory.remove() }
        #expect(try first.bytes("customers.jsonl") != (try other.bytes("customers.jsonl")))
        #expect(try first.bytes("events.jsonl") != (try other.bytes("events.jsonl")))
    }

    @Test func eventCountLeavesCustomersUnchanged() throws {
        let few = try DemoDataSet(customers: 400, seed: 5, eventsPerCustomer: 1)
        defer { few.directory.remove() }
        let many = try DemoDataSet(customers: 400, seed: 5, eventsPerCustomer: 9)
        defer { many.directory.remove() }
        #expect(try few.bytes("customers.jsonl") == (try many.bytes("customers.jsonl")))
        #expect(try few.bytes("consents.jsonl") == (try many.bytes("consents.jsonl")))
        #expect(many.summary.eventLines > 5 * few.summary.eventLines)
    }

    // MARK: - The contract, line by line

    @Test func everyGoodLineFollowsTheContract() throws {
        let checked = try CheckedDemoDataSet.get()
        let summary = checked.summary
        // Every line is either valid or has exactly the one defect the generator meant it to have.
        #expect(checked.multipleDefects == 0)
        #expect(checked.customerDefects == Self.names(summary.badCustomers))
        #expect(checked.eventDefects == Self.names(summary.badEvents))
        #expect(checked.consentDefects == Self.names(summary.badConsents))
        let secondRecords = summary.secondRecords.values.reduce(0, +)
        #expect(checked.validCustomers.count == summary.people + secondRecords)
        #expect(checked.validEvents.count == summary.events.values.reduce(0, +))
        #expect(checked.validConsentTimes.count == summary.consentRecords)
        #expect(summary.customerLines == checked.validCustomers.count + checked.customerDefects.values.reduce(0, +))
    }

    @Test func everyKindOfBadRowAppearsAtTheDesignedRate() throws {
        let summary = try CheckedDemoDataSet.get().summary
        for (counts, kinds, goodLines) in [
            (summary.badCustomers, DemoBadRow.customerKinds, summary.customerLines),
            (summary.badEvents, DemoBadRow.eventKinds, summary.eventLines),
        ] {
            #expect(Set(counts.keys) == Set(kinds))
            let rate = Double(counts.values.reduce(0, +)) / Double(goodLines)
            #expect(rate > 0.015 && rate < 0.035, "bad-row rate \(rate)")
        }
        #expect(Set(summary.badConsents.keys).isSubset(of: Set(DemoBadRow.consentKinds)))
    }

    @Test func identifierKindsAppearAtTheDesignedRates() throws {
        let summary = try CheckedDemoDataSet.get().summary
        let people = Double(summary.people)
        #expect(summary.people == 2_000)
        #expect(abs(Double(summary.peopleWithEmail) / people - 0.9) < 0.03)
        #expect(abs(Double(summary.peopleWithPhone) / people - 0.6) < 0.04)
        #expect(abs(Double(summary.peopleWithDeviceID) / people - 0.4) < 0.04)
        #expect(abs(Double(summary.peopleWithConsent) / people - 0.95) < 0.02)
    }

    /// Second records join their first record through a shared identifier, and nobody else joins anyone: every
    /// group of records sharing an identifier is one person.
    @Test func secondRecordsShareAnIdentifierWithTheirFirst() throws {
        let checked = try CheckedDemoDataSet.get()
        let customers = checked.validCustomers
        var parent = Array(customers.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index { index = parent[index] }
            return index
        }
        var owner: [String: Int] = [:]
        for (index, customer) in customers.enumerated() {
            for key in customer.identifiers {
                if let other = owner[key] { parent[root(index)] = root(other) } else { owner[key] = index }
            }
        }
        var groups: [Int: [Int]] = [:]
        for index in customers.indices { groups[root(index), default: []].append(index) }
        let pairs = groups.values.filter { $0.count == 2 }
        #expect(groups.values.allSatisfy { $0.count <= 2 })
        #expect(pairs.count == checked.summary.secondRecords.values.reduce(0, +))
        #expect(Double(pairs.count) / Double(checked.summary.people) > 0.03)
        for pair in pairs {
            let (first, second) = (customers[pair[0]], customers[pair[1]])
            #expect(first.customerID?.hasPrefix("c-") == true)
            #expect(second.customerID == nil || second.customerID?.hasPrefix("s-") == true)
            #expect(first.source != second.source)
        }
        // A Gmail mailbox spelt at googlemail.com in one record and gmail.com in the other, joined by another
        // identifier since the e-mail profiles keep the domain as written.
        let crossDomain = pairs.filter { pair in
            let domains = Set(pair.compactMap { customers[$0].email?.lowercased().split(separator: "@").last })
            return domains.contains { $0.hasPrefix("gmail.com") } && domains.contains { $0.hasPrefix("googlemail.com") }
        }
        #expect(!crossDomain.isEmpty)
        #expect((checked.summary.secondRecords[.googlemailAndPhone] ?? 0) > 0)
        #expect((checked.summary.secondRecords[.gmailSpelling] ?? 0) > 0)
    }

    // MARK: - Times, purchases, items

    @Test func timesFallInTheirSpans() throws {
        let checked = try CheckedDemoDataSet.get()
        let end = Int(DemoDataSet.end)
        let eventStart = end - 400 * 86_400
        #expect(checked.validEvents.allSatisfy { $0.at >= eventStart && $0.at < end })
        #expect(checked.validConsentTimes.allSatisfy { $0 >= end - 1_096 * 86_400 && $0 < end })
        // Events spread over the whole span, not bunched at one end.
        let firstHalf = checked.validEvents.filter { $0.at < eventStart + 200 * 86_400 }.count
        #expect(Double(firstHalf) / Double(checked.validEvents.count) > 0.25)
    }

    @Test func purchasesHaveAmountsAndSkewedItems() throws {
        let events = try CheckedDemoDataSet.get().validEvents
        let purchases = events.filter { $0.type == "purchase" }
        let share = Double(purchases.count) / Double(events.count)
        #expect(share > 0.06 && share < 0.12)
        #expect(purchases.allSatisfy { ($0.amount ?? 0) > 0 && (1...5).contains($0.items.count) })
        let amounts = purchases.compactMap(\.amount).sorted()
        let median = amounts[amounts.count / 2]
        let mean = amounts.reduce(0, +) / Double(amounts.count)
        // Log-normal-ish: a long right tail pulls the mean above the median.
        #expect(median > 20 && median < 150)
        #expect(mean > median)
        var units: [String: Int] = [:]
        for purchase in purchases { for item in purchase.items { units[item, default: 0] += 1 } }
        let total = units.values.reduce(0, +)
        let top30 = units.values.sorted(by: >).prefix(30).reduce(0, +)
        // Zipf: the top 1 % of 3,000 SKUs make close to half of the units.
        #expect(Double(top30) / Double(total) > 0.3)
        #expect(units.count > 300)
        #expect(events.filter { $0.type == "add_to_cart" }.allSatisfy { (1...2).contains($0.items.count) })
        #expect(events.filter { $0.type == "visit" || $0.type == "click" }.allSatisfy { $0.items.isEmpty })
    }

    private static func names(_ counts: [DemoBadRow: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }
}
