import ArgumentParser
import Foundation
import Testing

@testable import CleanRoomCLI

struct DemoCDNOWCommandTests {
    /// The CDNOW log beside the repository (`../shared/data`), where the project keeps it.
    static let cdnowFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/cdnow_master.txt").path

    /// Converts `lines` (joined with `separator`) and returns the summary and the output lines, parsed.
    func convert(_ lines: [String], separator: String = "\n") throws
        -> (summary: DemoCDNOWConverter.Summary, customers: [[String: Any]], events: [[String: Any]])
    {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let summary = try DemoCDNOWConverter.convert(
            Array(lines.joined(separator: separator).utf8), into: directory.url)
        return (summary, try Self.objects(directory, "customers.jsonl"), try Self.objects(directory, "events.jsonl"))
    }

    static func objects(_ directory: TemporaryDirectory, _ name: String) throws -> [[String: Any]] {
        try directory.lines(name).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: cdnowFile)))
    func convertsTheRealLog() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var command = try DemoCommand.parseAsRoot(["cdnow", Self.cdnowFile, "--out", directory.path("out")])
        try command.run()
        // Counted independently: every line after the header is one purchase; the ids and CDs are columns 1 and 3.
        let text = try String(contentsOfFile: Self.cdnowFile, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst()
            .map { $0.split(whereSeparator: \.isWhitespace) }
        #expect(rows.count == 69_659)
        let customers = try directory.lines("out/customers.jsonl")
        let events = try directory.lines("out/events.jsonl")
        #expect(events.count == 69_659)
        #expect(customers.count == Set(rows.map { $0[0] }).count)
        #expect(customers.count == 23_570)
        var units = 0
        var times = Set<String>()
        for line in events {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            units += (event["items"] as? [String])?.count ?? 0
            #expect(DemoContractCheck.isRFC3339(event["at"]))
            times.insert("\(event["customer_id"] ?? "") \(event["at"] ?? "")")
        }
        #expect(units == rows.reduce(0) { $0 + Int($1[2])! })
        // No two purchases of one customer share a time, so none is taken for a duplicate.
        #expect(times.count == events.count)
    }

    @Test func mapsLinesToCustomersAndPurchases() throws {
        let result = try self.convert([
            " customer_id  date number_of_cds  dollar_value", " 00007 19970312  2   25.98",
            " 00003 19970102  1   11.77", "", " 00007 19970101  1    0.00", " 00007 19970312  3   007.50",
        ], separator: "\r\n")
        #expect(result.summary.skippedHeader)
        #expect(result.summary.rejects.isEmpty)
        #expect(result.customers.map { $0["customer_id"] as? String } == ["cdnow-00007", "cdnow-00003"])
        // Consent at the first purchase, which is not the first line of customer 7.
        #expect(result.customers[0]["consent_at"] as? String == "1997-01-01T12:00:00Z")
        #expect(result.customers[0]["consent"] as? [String: Bool] == ["analytics": true])
        #expect(result.customers[0]["source"] as? String == "cdnow")
        #expect(result.customers[0].count == 5)
        #expect(result.events.map { $0["at"] as? String } == [
            "1997-03-12T12:00:00Z", "1997-01-02T12:00:00Z", "1997-01-01T12:00:00Z", "1997-03-12T12:00:01Z",
        ])
        #expect(result.events.map { $0["amount"] as? Double } == [25.98, 11.77, 0, 7.5])
        #expect(result.events.map { ($0["items"] as? [String])?.count } == [2, 1, 1, 3])
        #expect(result.events.allSatisfy { $0["currency"] as? String == "USD" && $0["event"] as? String == "purchase" })
        #expect((result.events[0]["items"] as? [String]) == ["cdnow-cd", "cdnow-cd"])
    }

    @Test func skipsMalformedLinesWithTheirReason() throws {
        let result = try self.convert([
            "00001 19970101 1 11.77", "00002 19970101 1", "0000x 19970101 1 11.77", "00003 19970230 1 11.77",
            "00004 1997-01-01 1 11.77", "00005 19970101 0 11.77", "00006 19970101 1.5 11.77", "00007 19970101 1 12,50",
            "00008 19970101 1 -3.00", "00009 19970101 1 .50", "00010 19970101 2 20.00 extra",
        ])
        #expect(!result.summary.skippedHeader)
        #expect(result.events.count == 1)
        #expect(result.customers.count == 1)
        #expect(result.summary.rejects == [.fieldCount: 2, .customerID: 1, .date: 2, .quantity: 2, .amount: 3])
        #expect(result.summary.firstRejects.map(\.line) == Array(2...11))
        // Reported by line number and reason, never with the values.
        let description = result.summary.description
        #expect(description.contains("line 3: customer id is not a number"))
        #expect(!description.contains("0000x"))
        #expect(!description.contains("12,50"))
    }

    @Test func aFileWithoutPurchasesWritesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: DemoError.self) {
            _ = try DemoCDNOWConverter.convert(Array("customer_id date\nnot a purchase\n".utf8), into: directory.url)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test func aMissingFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var command = try DemoCommand.parseAsRoot([
            "cdnow", directory.path("missing.txt"), "--out", directory.path("out"),
        ])
        #expect(throws: DemoError.self) { try command.run() }
    }
}
