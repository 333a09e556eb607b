import Foundation
import Testing

@testable import CleanRoomIngest

/// The input check counts newlines and spots non-ASCII bytes eight at a time, as a byte-by-byte loop would.
struct IngestInputScanTests {
    static func naive(_ bytes: [UInt8]) -> (newlines: Int, isASCII: Bool) {
        (bytes.filter { $0 == UInt8(ascii: "\n") }.count, bytes.allSatisfy { $0 < 0x80 })
    }

    @Test func agreesWithAByteByByteCount() {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        // Newlines beside bytes one off (0x09, 0x0B), their high-bit twins (0x8A) and 0x7F/0x80, at every length.
        let alphabet: [UInt8] = [0x0A, 0x0A, 0x09, 0x0B, 0x8A, 0x7F, 0x80, 0x00, 0xFF, UInt8(ascii: "a")]
        for length in 0..<200 {
            for round in 0..<20 {
                let asciiOnly = round.isMultiple(of: 2)
                let bytes = (0..<length).map { _ in
                    let byte = alphabet[Int(next() % UInt64(alphabet.count))]
                    return asciiOnly ? byte & 0x7F : byte
                }
                let scanned = bytes.withUnsafeBytes(IngestInput.scan)
                let expected = Self.naive(bytes)
                #expect(scanned.newlines == expected.newlines, "\(bytes)")
                #expect(scanned.isASCII == expected.isASCII, "\(bytes)")
            }
        }
        let newlines = [UInt8](repeating: 0x0A, count: 1000)
        #expect(newlines.withUnsafeBytes(IngestInput.scan) == (1000, true))
    }

    /// UTF-8 is checked across the check's 1 MiB reads: a character split between two reads is whole, a bad
    /// byte after the first read is found.
    @Test func characterSplitBetweenReadsIsWholeAndALaterBadByteIsFound() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) - 1) + [0x0A]
        // "é" starts at the last byte of the first read.
        let split: [UInt8] = Array(before.dropLast(2)) + [0x0A] + Array("é中😀\n".utf8)
        let good = directory.appendingPathComponent("good.jsonl").path
        try Data(split + split).write(to: URL(fileURLWithPath: good))
        #expect(try IngestInput.check(path: good) == 4)

        let bad = directory.appendingPathComponent("bad.jsonl").path
        try Data(before + before + [0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: bad))
        let error = #expect(throws: IngestError.self) { try IngestInput.check(path: bad) }
        #expect(error?.code == .wrongEncoding)

        let cut = directory.appendingPathComponent("cut.jsonl").path
        try Data(before + [0xE4, 0xB8]).write(to: URL(fileURLWithPath: cut))
        #expect(throws: IngestError.self) { try IngestInput.check(path: cut) }
    }
}
