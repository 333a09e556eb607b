import ArgumentParser
import CleanRoomCore
import Foundation
import Testing

@testable import CleanRoomCLI

/// One example of `Tests/crosscheck/published_examples.json`, the list the library's own tests check
/// (`IdentifierPublishedExampleTests`): what `cleanroom hash` needs of it.
struct HashPublishedExample: Decodable, Sendable {
    var source: String
    var note: String
    var raws: [String]
    var kind: IdentifierKind
    var profile: EmailProfile?
    var form: PhoneForm?
    var region: String?
    var normalized: String
    var hex: String?
    var base64: String?

    /// How a failure names the example.
    var testDescription: String { "\(self.normalized) (\(self.source): \(self.note))" }

    private struct File: Decodable {
        var examples: [HashPublishedExample]
    }

    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("crosscheck/published_examples.json")

    static func all() throws -> [HashPublishedExample] {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: self.url)).examples
    }

    /// The options of `cleanroom hash` for this example: its kind, and its profile, form and region if any.
    var options: [String] {
        let kind = HashKind.allCases.first { $0.identifierKind == self.kind }.map(\.rawValue) ?? "none"
        var options = ["--kind", kind]
        if let profile = self.profile { options += ["--profile", profile.rawValue] }
        if let form = self.form { options += ["--form", form.rawValue] }
        if let region = self.region { options += ["--region", region] }
        return options
    }
}

/// `cleanroom hash` reproduces, byte for byte, every published example: each raw spelling, through the command, gives
/// the published hash in hex and in Base64 (or, where a page publishes only the normalized value, that value's hash).
struct HashCommandPublishedExampleTests {
    /// One loop over the whole list, one example after the other.
    @Test func reproducesEveryExampleThroughTheCommand() throws {
        let examples = try HashPublishedExample.all()
        #expect(examples.count >= 24)
        #expect(examples.filter { $0.hex != nil }.count >= 11)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (index, example) in examples.enumerated() {
            let input = try directory.file("raws-\(index).txt", lines: example.raws)
            let hash = MatchHash(normalized: example.normalized)
            let expected = [(HashEncoding.hex, example.hex ?? hash.hex), (.base64, example.base64 ?? hash.base64)]
            for (encoding, line) in expected {
                let output = directory.path("hashes-\(index)-\(encoding.rawValue).txt")
                try HashCommand.parse(example.options + ["--encoding", encoding.rawValue, "-o", output, input]).run()
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
                let wanted = Array(String(repeating: line + "\n", count: example.raws.count).utf8)
                #expect(bytes == wanted, "\(example.testDescription), \(encoding)")
            }
        }
    }
}
