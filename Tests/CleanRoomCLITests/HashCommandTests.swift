import ArgumentParser
import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomCLI

/// A fresh directory under the temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hash-command-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = self.url.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func file(_ name: String, lines: [String]) throws -> String {
        try self.file(name, Array(lines.map { $0 + "\n" }.joined().utf8))
    }

    func path(_ name: String) -> String { self.url.appendingPathComponent(name).path }

    func lines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: self.path(name), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(at: self.url) }
}

struct HashCommandTests {
    /// Runs `cleanroom hash` in-process on `lines` with `arguments`, and returns the output lines.
    func hash(_ lines: [String], _ arguments: [String]) throws -> [String] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("input.txt", lines: lines)
        let command = try HashCommand.parse(arguments + ["--output", directory.path("out.txt"), input])
        try command.run()
        return try directory.lines("out.txt")
    }

    // The published examples of every platform: HashCommandPublishedExampleTests.

    @Test func deviceAndCustomerIDs() throws {
        #expect(try self.hash(["{6D92078A82464BA4AE5B76104861E7DC}"], ["--kind", "device"])
            == [MatchHash(normalized: "6d92078a-8246-4ba4-ae5b-76104861e7dc").hex])
        #expect(try self.hash(["  CUST-00042 "], ["--kind", "customer_id"])
            == [MatchHash(normalized: "CUST-00042").hex])
    }

    /// CRM exports write `UK` for the United Kingdom: it is read as `GB`, in any case.
    @Test(arguments: ["UK", "uk", "GB"])
    func ukRegionIsGB(_ region: String) throws {
        #expect(try self.hash(["020 7946 0958", "07911 123456"], ["--kind", "phone", "--region", region])
            == [MatchHash(normalized: "+442079460958").hex, MatchHash(normalized: "+447911123456").hex])
    }

    @Test func base64AndHexEncodeTheSameBytes() throws {
        let values = ["a@example.com", "B.C+d@gmail.com", "e@example.org"]
        let hex = try self.hash(values, ["--kind", "email"])
        let base64 = try self.hash(values, ["--kind", "email", "--encoding", "base64"])
        #expect(hex.count == 3)
        #expect(hex.allSatisfy { $0.count == 64 })
        #expect(base64.allSatisfy { $0.count == 44 })
        #expect(try hex.map { try MatchHash(transport: $0) } == base64.map { try MatchHash(transport: $0) })
    }

    /// A CSV file with a BOM before its first column, CR LF line ends, quoted fields with a comma, doubled
    /// quotes and a line break, an empty cell and a short row.
    @Test func csvColumn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let csv = "email,id,note\r\n"
            + "\"Jane.Doe+news@Gmail.com\",1,\"said \"\"hi\"\", then left\"\r\n"
            + "\"two\nlines@example.com\",2,x\r\n"
            + ",3,no e-mail\r\n"
            + "bob@example.com\r\n"
            + "\"carol@example.com\",5,\"a, b\"\r\n"
        let input = try directory.file("input.csv", [0xEF, 0xBB, 0xBF] + Array(csv.utf8))
        let command = try HashCommand.parse(
            ["--kind", "email", "--column", "email", "-o", directory.path("out"), input])
        try command.run()
        #expect(try directory.lines("out") == [
            MatchHash(normalized: "janedoe@gmail.com").hex, MatchHash(normalized: "bob@example.com").hex,
            MatchHash(normalized: "carol@example.com").hex,
        ])
        var source = try HashCSVSource(input: HashInputFile(argument: input, position: 1), column: "email")
        #expect(try self.summary(of: &source) == "hashed 3, rejected 1 (whitespace_inside: 1), skipped 1 empty")
    }

    /// A value that is not UTF-8 is one rejection: the rows after it are read and hashed, other columns of its row
    /// may hold anything, and a header naming its columns in UTF-8 is found.
    @Test func csvValueThatIsNotUTF8IsRejectedAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bytes = Array("n\u{00BA},e-mail\u{00E4}\n1,a@example.com\n2,b".utf8) + [0xFF, 0xFE]
        bytes += Array("@example.com\n3,\"c@".utf8) + [0xC3] + Array("\"\n".utf8)
        bytes += [0x80, 0x2C] + Array("d@example.com\n5,J\u{00F6}rg@example.com\n".utf8)
        let input = try directory.file("input.csv", bytes)
        var source = try HashCSVSource(input: HashInputFile(argument: input, position: 1), column: "e-mail\u{00E4}")
        var values: [HashInputValue] = []
        while let value = try source.next() { values.append(value) }
        #expect(values == [
            .text("a@example.com"), .undecodable, .undecodable, .text("d@example.com"),
            .text("J\u{00F6}rg@example.com"),
        ])
        try HashCommand.parse(["--kind", "email", "--column", "e-mail\u{00E4}", "-o", directory.path("out"), input])
            .run()
        #expect(try directory.lines("out") == ["a@example.com", "d@example.com", "j\u{00F6}rg@example.com"].map {
            MatchHash(normalized: $0).hex
        })
    }

    @Test func csvColumnMissingNamesNoValue() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("input.csv", lines: ["jane@example.com", "bob@example.com"])
        do {
            _ = try HashCSVSource(input: HashInputFile(argument: input, position: 1), column: "email")
            Issue.record("found a column that is not there")
        } catch {
            #expect(error.code == .missingColumn)
            #expect(error.message.contains("email"))
            #expect(error.message.contains("input 1"))
            #expect(!error.message.contains("jane"))
            #expect(!error.message.contains(input))
        }
    }

    @Test func emptyCSVHasNoHeaderRow() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("input.csv", [])
        do {
            _ = try HashCSVSource(input: HashInputFile(argument: input, position: 3), column: "email")
            Issue.record("found a header row in an empty file")
        } catch {
            #expect(error.code == .missingHeaderRow)
            #expect(error.message.contains("input 3"))
        }
    }

    /// Rejections are counted by reason; blank lines are skipped; a BOM, CR LF and a missing final newline are
    /// handled; bytes that are not UTF-8 are a rejection of their line only.
    @Test func rejectCounts() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("first@example.com\r\nno-at-sign\r\n\r\n   \r\na@b@example.com\r\n".utf8)
        bytes += [0x66, 0xFF, 0x40, 0x78, 0x2E, 0x63, 0x6F, 0x6D, 0x0A]
        bytes += Array("<x@example.com>\nsecond@example.com\nthird@example.com".utf8)
        let input = try directory.file("input.txt", bytes)
        var source = HashLineSource(input: try HashInputFile(argument: input, position: 1))
        #expect(try self.summary(of: &source) == "hashed 3, rejected 4 (invalid_character: 1, invalid_encoding: 1, "
            + "missing_at: 1, multiple_at: 1), skipped 2 empty")
        try HashCommand.parse(["--kind", "email", "-o", directory.path("out"), input]).run()
        #expect(try directory.lines("out") == ["first@example.com", "second@example.com", "third@example.com"].map {
            MatchHash(normalized: $0).hex
        })
    }

    /// `-` (and no file at all) reads standard input, here a file put in place of descriptor 0.
    @Test func readsStandardInput() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("input.csv", lines: ["email", "A@Example.com", "b@example.com"])
        let saved = dup(0)
        defer {
            dup2(saved, 0)
            close(saved)
        }
        func redirect() {
            let descriptor = open(input, O_RDONLY)
            dup2(descriptor, 0)
            close(descriptor)
        }
        redirect()
        var lines = HashLineSource(input: try HashInputFile(argument: "-", position: 1))
        var values: [HashInputValue] = []
        while let value = try lines.next() { values.append(value) }
        #expect(values == [.text("email"), .text("A@Example.com"), .text("b@example.com")])
        redirect()
        var column = try HashCSVSource(input: HashInputFile(argument: "-", position: 1), column: "email")
        #expect(try column.next() == .text("A@Example.com"))
        #expect(try column.next() == .text("b@example.com"))
        #expect(try column.next() == nil)
    }

    @Test func summaryWithoutRejections() {
        var summary = HashSummary()
        summary.hashed = 998
        #expect(summary.description == "hashed 998, rejected 0")
        summary.reject(.missingAt)
        summary.reject(.invalidPhone)
        #expect(summary.description == "hashed 998, rejected 2 (invalid_phone: 1, missing_at: 1)")
    }

    /// Lines longer than one read and more lines than one chunk, over two files, keep their order.
    @Test func streamsLargeInputsInOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = (0..<15_000).map { "user.\($0)+tag@gmail.com" }
        let second = ["x" + String(repeating: "y", count: 100_000) + "@example.com", "last@example.com"]
        let paths = [try directory.file("a.txt", lines: first), try directory.file("b.txt", lines: second)]
        let command = try HashCommand.parse(["--kind", "email", "--output", directory.path("out")] + paths)
        try command.run()
        let output = try directory.lines("out")
        #expect(output.count == 15_001)
        #expect(output.first == MatchHash(normalized: "user0@gmail.com").hex)
        #expect(output[14_999] == MatchHash(normalized: "user14999@gmail.com").hex)
        #expect(output.last == MatchHash(normalized: "last@example.com").hex)
    }

    @Test(arguments: [
        ["--kind", "phone", "--profile", "basic"], ["--kind", "email", "--form", "digits"],
        ["--kind", "email", "--region", "DE"], ["--kind", "phone", "--region", "ZZ"], ["--kind", "idfa"],
        ["--kind", "email", "--encoding", "base32"], ["--kind", "email", "--profile", "gmail"],
        ["--kind", "email", "--output", ""],
    ])
    func rejectsBadOptions(_ arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try HashCommand.parse(arguments) }
    }

    @Test func optionsHaveDefaults() throws {
        let command = try HashCommand.parse(["--kind", "email"])
        #expect(command.kind == .email)
        #expect(command.profile == nil)
        #expect(command.encoding == .hex)
        #expect(command.files.isEmpty)
        #expect(try HashCommand.parse(["--kind", "device"]).kind.identifierKind == .deviceID)
        #expect(try HashCommand.parse(["--kind", "email", "--profile", "gmail_dots"]).profile == .gmailDots)
        #expect(try HashCommand.parse(["--kind", "email"]).keepRows == false)
        #expect(try HashCommand.parse(["--kind", "email", "--keep-rows"]).keepRows == true)
    }

    @Test func helpNamesEveryChoice() {
        let help = HashCommand.helpMessage()
        for name in ["email", "phone", "device", "customer_id", "basic", "google", "gmail_dots", "uid2", "e164",
                     "digits", "hex", "base64", "--column", "--output", "--region", "--keep-rows"] {
            #expect(help.contains(name), "\(name)")
        }
    }

    @Test func outputFileIsReplaced() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.file("out", lines: Array(repeating: "old line", count: 10))
        let input = try directory.file("in", lines: ["a@example.com"])
        try HashCommand.parse(["--kind", "email", "--output", directory.path("out"), input]).run()
        #expect(try directory.lines("out") == [MatchHash(normalized: "a@example.com").hex])
    }

    /// The summary of hashing every value of `source` as e-mail addresses.
    private func summary(of source: inout some HashValueSource) throws -> String {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pipeline = HashPipeline(
            normalizer: try IdentifierNormalizer(), kind: .email, profile: .google, form: .e164, encoding: .hex,
            keepsRows: false)
        let output = try HashOutput(path: directory.path("out"), inputs: [])
        var summary = HashSummary()
        try pipeline.hash(&source, into: output, summary: &summary)
        try output.commit()
        return summary.description
    }
}
