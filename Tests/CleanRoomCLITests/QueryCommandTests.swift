import ArgumentParser
import CleanRoomAnalytics
import CleanRoomAudit
import Foundation
import Testing

@testable import CleanRoomCLI

/// `cleanroom query` end to end on a home made by `init`, each command in its own engine as separate runs are.
struct QueryCommandTests {
    /// A home of 60 customers in DE who consented to every purpose, with the owner exempt from the differencing
    /// guard so that counts can be compared across withdrawals.
    func home(in directory: TemporaryDirectory) throws -> CleanRoomHome {
        let home = try initializedHome(in: directory)
        var policy = try String(contentsOfFile: home.policyFile, encoding: .utf8)
        policy = policy.replacingOccurrences(
            of: "differencing_guard_exempt: []", with: "differencing_guard_exempt: [nordwind-analytics]")
        try policy.write(toFile: home.policyFile, atomically: true, encoding: .utf8)
        let file = directory.path("customers.jsonl")
        let lines = (1...60).map { person in
            #"{"type":"customer","customer_id":"c-\#(person)","attributes":{"country":"DE","age_band":"25-34"},"#
                + #""consent":{"analytics":true,"ads_measurement":true},"consent_at":"2026-03-01T10:00:00Z"}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        try runCleanRoom(["ingest", file, "--home", home.root, "--json"])
        return home
    }

    func queryEntries(_ home: CleanRoomHome) throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        try AuditReader.forEachEntry(in: home.auditDirectory) { entry in
            if entry.record.action == .query { records.append(entry.record) }
        }
        return records
    }

    @Test func theNextQueryAfterAWithdrawalCountsExactlyThatManyFewer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)
        let count = ["query", "--as", "nordwind-analytics", "--purpose", "analytics", "--home", home.root]
        try runCleanRoom(count + ["--format", "table"])
        for person in 1...3 {
            try runCleanRoom([
                "rights", "withdraw", "--customer-id", "c-\(person)", "--purpose", "analytics", "--home", home.root,
            ])
        }
        try runCleanRoom(count)
        #expect(try self.queryEntries(home).map(\.cohortSizes) == [[60], [57]])
    }

    @Test func aQueryFileAndFlagsAreTheSameQuery() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)
        let file = directory.path("q.json")
        try Data(#"{"purpose": "ads_measurement", "groupBy": ["country"], "metrics": ["people"]}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        try runCleanRoom(["query", "--as", "alpina-outdoor", "--file", file, "--home", home.root, "--format", "csv"])
        try runCleanRoom([
            "query", "--as", "alpina-outdoor", "--purpose", "ads_measurement", "--group-by", "country", "--metric",
            "people", "--home", home.root,
        ])
        let entries = try self.queryEntries(home)
        #expect(entries.count == 2)
        #expect(entries[0].request == entries[1].request)
        #expect(entries[0].resultDigest == entries[1].resultDigest)
    }

    @Test func aRefusedQueryIsAuditedWithItsRuleAndAnswersNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)
        #expect(throws: AnalyticsError.self) {
            try runCleanRoom([
                "query", "--as", "dailynews-media", "--purpose", "ads_measurement", "--group-by", "city", "--home",
                home.root,
            ])
        }
        let entries = try self.queryEntries(home)
        #expect(entries.map(\.decision) == [.refused("principal.dimension")])
        #expect(entries.first?.resultDigest == nil)
    }

    @Test func malformedQueriesNameTheField() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)
        let error = #expect(throws: AnalyticsError.self) {
            try runCleanRoom([
                "query", "--as", "alpina-outdoor", "--purpose", "ads_measurement", "--where",
                #"{"event": "purchase", "within": "90 days"}"#, "--home", home.root,
            ])
        }
        #expect(error?.field == "where[0].within")
        #expect(try self.queryEntries(home).map(\.decision) == [.refused("query.invalid")])
        #expect(throws: (any Error).self) {
            try runCleanRoom(["query", "--as", "alpina-outdoor", "--home", home.root])
        }
    }
}

/// `cleanroom rules` end to end.
struct RulesCommandTests {
    @Test func rulesAreMinedAuditedAndRefusedWithTheirRule() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try initializedHome(in: directory)
        let customers = directory.path("customers.jsonl")
        let events = directory.path("events.jsonl")
        let people = 1...120
        try Data(people.map { person in
            #"{"type":"customer","customer_id":"c-\#(person)","consent":{"analytics":true},"#
                + #""consent_at":"2026-03-01T10:00:00Z"}"#
        }.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: customers))
        let at = Date(timeIntervalSinceNow: -5 * 86_400).formatted(.iso8601)
        try Data(people.map { person in
            let items = person <= 80 ? #"["boots","socks"]"# : #"["tent"]"#
            return #"{"type":"event","customer_id":"c-\#(person)","event":"purchase","at":"\#(at)","amount":20,"#
                + #""currency":"EUR","items":\#(items)}"#
        }.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: events))
        try runCleanRoom(["ingest", customers, events, "--home", home.root, "--json"])
        try runCleanRoom([
            "rules", "--as", "nordwind-analytics", "--purpose", "analytics", "--min-support", "0.1",
            "--min-confidence", "0.5", "--format", "json", "--home", home.root,
        ])
        #expect(throws: AnalyticsError.self) {
            try runCleanRoom([
                "rules", "--as", "dailynews-media", "--purpose", "analytics", "--min-support", "0.1",
                "--min-confidence", "0.5", "--home", home.root,
            ])
        }
        var records: [AuditRecord] = []
        try AuditReader.forEachEntry(in: home.auditDirectory) { entry in
            if entry.record.action == .rules { records.append(entry.record) }
        }
        #expect(records.map(\.decision) == [.allowed("privacy.contract_met"), .refused("principal.purpose")])
        #expect(records.first?.cohortSizes == [120])
    }
}
