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

    // https://unifiedid.com/docs/getting-started/gs-normalization-encoding: the e-mail table, Base64 column.
    @Test func uid2EmailExamples() throws {
        let output = try self.hash(
            ["MyEmail@example.com", "My.Email@example.com", "JaneSaoirse+Work@example.com", "Jane.Saoirse@gmail.com",
             "JaneSaoirse+Work@gmail.com", "user@example.com"],
            ["--kind", "email", "--profile", "uid2", "--encoding", "base64"])
        #expect(output == [
            "FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U=", "4itTvG+HEnTzpiqzejyu1yFPwU1nYhWpaiQvz62hyB8=",
            "KKruSBUjDNO069iMUVImVQZm6RrAGZKeOtrD9mwogYA=", "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=",
            "ku4mBX7Z3qJTXWyLFB1INzkyR2WZGW4ANSJUiW21iI8=", "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=",
        ])
    }

    // https://unifiedid.com/docs/getting-started/gs-normalization-encoding: the phone example.
    @Test func uid2PhoneExample() throws {
        let output = try self.hash(
            ["1 (234) 567-8901", "+12345678901"],
            ["--kind", "phone", "--region", "US", "--encoding", "base64"])
        #expect(output == Array(repeating: "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=", count: 2))
    }

    // https://github.com/googleads/data-manager-python/blob/main/tests/formatter_test.py
    @Test func googleUtilityExamples() throws {
        let emails = ["alexz@example.com", "  ALEXZ@example.com   ", "  alexz@EXAMPLE.com   "]
        #expect(try self.hash(emails, ["--kind", "email"])
            == Array(repeating: "509e933019bb285a134a9334b8bb679dff79d0ce023d529af4bd744d47b4fd8a", count: 3))
        #expect(try self.hash(emails, ["--kind", "email", "--encoding", "base64"])
            == Array(repeating: "UJ6TMBm7KFoTSpM0uLtnnf950M4CPVKa9L10TUe0/Yo=", count: 3))
        let phones = ["+18005550100", "   +1-800-555-0100", "1-800-555-0100   "]
        #expect(try self.hash(phones, ["--kind", "phone", "--region", "US", "--form", "e164"])
            == Array(repeating: "fb4f73a6ec5fdb7077d564cdd22c3554b43ce49168550c3b12c547b78c517b30", count: 3))
        #expect(try self.hash(phones, ["--kind", "phone", "--region", "us", "--encoding", "base64"])
            == Array(repeating: "+09zpuxf23B31WTN0iw1VLQ85JFoVQw7EsVHt4xRezA=", count: 3))
    }

    // https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
    @Test func metaExamples() throws {
        #expect(try self.hash(["John_Smith@gmail.com"], ["--kind", "email", "--profile", "basic"])
            == ["62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"])
        #expect(try self.hash(["(650)555-1212"], ["--kind", "phone", "--region", "US", "--form", "digits"])
            == ["e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"])
    }

    // https://developers.snap.com/api/marketing-api/Conversions-API/Parameters
    @Test func snapExamples() throws {
        #expect(try self.hash(["Person@Example.com"], ["--kind", "email", "--profile", "basic"])
            == ["542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345"])
        #expect(try self.hash(["+44 844 412 4653"], ["--kind", "phone", "--form", "digits"])
            == ["dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"])
    }

    @Test func deviceAndCustomerIDs() throws {
        #expect(try self.hash(["{6D92078A82464BA4AE5B76104861E7DC}"], ["--kind", "device"])
            == [MatchHash(normalized: "6d92078a-8246-4ba4-ae5b-76104861e7dc").hex])
        #expect(try self.hash(["  CUST-00042 "], ["--kind", "customer_id"])
            == [MatchHash(normalized: "CUST-00042").hex])
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

        var source = try CSVColumnSource(path: input, column: "email")
        var output = try HashOutput(path: directory.path("out2"))
        var summary = HashSummary()
        try self.hasher(kind: .email).hash(&source, into: &output, summary: &summary)
        try output.close()
        #expect(summary.description == "hashed 3, rejected 1 (whitespace_inside: 1), skipped 1 empty")
    }

    @Test func csvThatIsNotUTF8Fails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("input.csv", Array("email\na@example.com\n".utf8) + [0x62, 0xFF, 0x0A])
        var source = try CSVColumnSource(path: input, column: "email")
        #expect(try source.next() == .text("a@example.com"))
        #expect(throws: HashCommandError.self) { while try source.next() != nil {} }
    }

    @Test func csvColumnMissingNamesNoValue() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.file("input.csv", lines: ["jane@example.com", "bob@example.com"])
        do {
            _ = try CSVColumnSource(path: input, column: "email")
            Issue.record("found a column that is not there")
        } catch {
            #expect("\(error)".contains("email"))
            #expect(!"\(error)".contains("jane"))
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
        bytes += Array("second@example.com\nthird@example.com".utf8)
        let input = try directory.file("input.txt", bytes)
        var source = try LineSource(path: input)
        var output = try HashOutput(path: directory.path("out"))
        var summary = HashSummary()
        try self.hasher(kind: .email).hash(&source, into: &output, summary: &summary)
        try output.close()
        #expect(summary.description
            == "hashed 3, rejected 3 (invalid_encoding: 1, missing_at: 1, multiple_at: 1), skipped 2 empty")
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
        var lines = try LineSource(path: "-")
        var values: [RawValue] = []
        while let value = try lines.next() { values.append(value) }
        #expect(values == [.text("email"), .text("A@Example.com"), .text("b@example.com")])
        redirect()
        var column = try CSVColumnSource(path: "-", column: "email")
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
    }

    @Test func helpNamesEveryChoice() {
        let help = HashCommand.helpMessage()
        for name in ["email", "phone", "device", "customer_id", "basic", "google", "gmail_dots", "uid2", "e164",
                     "digits", "hex", "base64", "--column", "--output", "--region"] {
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

    private func hasher(kind: IdentifierKind) throws -> IdentifierHasher {
        IdentifierHasher(
            normalizer: try IdentifierNormalizer(), kind: kind, profile: .google, form: .e164, encoding: .hex)
    }
}
