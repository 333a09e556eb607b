@testable import CleanRoomAnalytics
import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Testing

/// Reading partners' files: hash lines and Google Customer Match CSVs, refusing what is not a match hash by its line.
struct AudienceUploadTests {
    let hashes = (1...4).map { Customer($0).hash() }

    func parse(_ text: String, maximumHashes: Int = 100) throws(AudienceError) -> AudienceUpload {
        try AudienceUpload(parsing: Data(text.utf8), maximumHashes: maximumHashes)
    }

    // MARK: Hash lines

    @Test func hashLinesInAnyCaseWithABOMCRLFBlankLinesAndSpaces() throws {
        let text = "\u{FEFF}" + self.hashes[0].hex.uppercased() + "\r\n\r\n  " + self.hashes[1].hex + "  \r\n"
            + "\n\t" + self.hashes[2].hex + "\n\n"
        let upload = try self.parse(text)
        #expect(upload.format == .hashLines)
        #expect(upload.hashes == Set(self.hashes[0...2]))
    }

    @Test func base64LinesAsUID2WritesThem() throws {
        let upload = try self.parse(self.hashes.map(\.base64).joined(separator: "\n"))
        #expect(upload.hashes == Set(self.hashes))
    }

    @Test func duplicatesCountOnce() throws {
        let lines = [self.hashes[0].hex, self.hashes[0].hex.uppercased(), self.hashes[0].base64, self.hashes[1].hex]
        #expect(try self.parse(lines.joined(separator: "\n")).hashes.count == 2)
    }

    @Test func hashesSharingTheirFirstBytesAreStillTwoAndEachRepeatCountsOnce() throws {
        // Sorted by their first 8 bytes, these fall in one run; only the repeats inside it are dropped.
        let prefix = String(repeating: "ab", count: 8)
        let first = prefix + String(repeating: "0", count: 48)
        let second = prefix + String(repeating: "1", count: 48)
        let upload = try self.parse([first, second, first.uppercased(), second, self.hashes[0].hex].joined(separator: "\n"))
        #expect(upload.count == 3)
        #expect(upload.hashes.map(\.hex).sorted() == [first, second, self.hashes[0].hex].sorted())
    }

    @Test func manyHashesSharingOnePrefixAreEachCountedOnceInOrder() throws {
        // A partner may choose its values: thousands with one 8-byte prefix, each twice, shuffled.
        let prefix = String(repeating: "ab", count: 8)
        let distinct = (0..<3_000).map { prefix + String(format: "%048x", $0 * 7_919) }
        let upload = try self.parse((distinct + distinct).shuffled().joined(separator: "\n"), maximumHashes: 3_000)
        #expect(upload.count == 3_000)
        #expect(upload.digests == distinct.sorted().flatMap { Hex.decode($0)! })
    }

    @Test(arguments: [
        ("anna.berg1@gmail.com", 3),  // an unhashed e-mail
        (String(repeating: "a", count: 63), 3),  // one character short
        (String(repeating: "g", count: 64), 3),  // not hexadecimal
        ("q-1", 2),
    ])
    func aMalformedLineIsRefusedByItsNumberNeverItsValue(bad: String, line: Int) throws {
        var lines = [self.hashes[0].hex, self.hashes[1].hex, self.hashes[2].hex]
        lines.insert(bad, at: line - 1)
        let error = #expect(throws: AudienceError.self) { try self.parse(lines.joined(separator: "\n")) }
        #expect(error?.code == .invalidUpload)
        #expect(error?.line == line)
        #expect(error?.message.contains("line \(line) ") == true)
        #expect(error?.message.contains(bad) == false)
        #expect(error.map { "\($0)" }?.contains(bad) == false)
    }

    @Test(arguments: ["", "\n\n  \n", "\u{FEFF}"])
    func anUploadWithoutAHashIsRefused(text: String) {
        let error = #expect(throws: AudienceError.self) { try self.parse(text) }
        #expect(error?.code == .invalidUpload)
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        let body = Data(self.hashes[0].hex.utf8) + Data([0x0A, 0xFF, 0xFE, 0x0A])
        let error = #expect(throws: AudienceError.self) { try AudienceUpload(parsing: body) }
        #expect(error?.code == .invalidUpload)
    }

    @Test func theLimitCountsDistinctHashes() throws {
        let four = self.hashes.map(\.hex)
        #expect(try self.parse((four[0...2] + four[0...2]).joined(separator: "\n"), maximumHashes: 3).hashes.count == 3)
        let error = #expect(throws: AudienceError.self) {
            try self.parse(four.joined(separator: "\n"), maximumHashes: 3)
        }
        #expect(error?.code == .tooManyHashes)
    }

    // MARK: Customer Match CSV

    @Test func customerMatchCSVReadsEveryEmailAndPhoneColumnAndIgnoresTheRest() throws {
        let phone = Customer(9).hash(.e164)
        let text = """
            \u{FEFF}Email,First Name,Last Name,Country,Zip,phone,EMAIL
            \(self.hashes[0].hex),Anna,Berg,DE,20457,\(phone.hex),\(self.hashes[1].hex)
            \(self.hashes[2].base64),"Berg, Anna","Street 1
            Hamburg",DE,20457,,
            ,,,,,,
            \(self.hashes[0].hex),,,,,,

            """
        let upload = try self.parse(text)
        #expect(upload.format == .customerMatchCSV)
        #expect(upload.hashes == [self.hashes[0], self.hashes[1], self.hashes[2], phone])
    }

    @Test func anUnhashedValueIsRefusedByLineAndColumnAfterAQuotedLineBreak() throws {
        let text = """
            Email,Phone,Address
            \(self.hashes[0].hex),,"Street 1
            Hamburg"
            \(self.hashes[1].hex),+49 151 23456701,
            """
        let error = #expect(throws: AudienceError.self) { try self.parse(text) }
        #expect(error?.code == .invalidUpload)
        #expect(error?.line == 4)
        #expect(error?.message.contains("line 4, column Phone,") == true)
        #expect(error?.message.contains("23456701") == false)
    }

    @Test func aHeaderWithoutEmailOrPhoneIsRefused() {
        let error = #expect(throws: AudienceError.self) {
            try self.parse("\n\nFirst Name,Mobile Device ID\nAnna,\(UUID().uuidString)\n")
        }
        #expect(error?.code == .invalidUpload)
        #expect(error?.line == 3)
    }
}
