import CleanRoomAudit
import Foundation
import Testing

/// The checkpoint text of c2sp.org/tlog-checkpoint, written and read strictly.
struct CheckpointTests {
    static let origin = "cleanroom.example/audit"
    static let root = [UInt8](0..<32)
    static let rootBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    /// 2026-11-25T18:00:00Z.
    static let time = Date(timeIntervalSince1970: 1_795_629_600)
    static let text = """
        cleanroom.example/audit
        1042
        AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
        time 2026-11-25T18:00:00Z

        """

    @Test func writesTheSpecifiedLines() throws {
        let checkpoint = try Checkpoint(origin: Self.origin, size: 1042, rootHash: Self.root, time: Self.time)
        #expect(checkpoint.text == Self.text)
        #expect(checkpoint.extensionLines == ["time 2026-11-25T18:00:00Z"])
        #expect(checkpoint.time == Self.time)
    }

    @Test func readsWhatItWrites() throws {
        let checkpoint = try Checkpoint(text: Self.text)
        #expect(checkpoint.origin == Self.origin)
        #expect(checkpoint.size == 1042)
        #expect(checkpoint.rootHash == Self.root)
        #expect(checkpoint.time == Self.time)
        #expect(checkpoint == (try Checkpoint(origin: Self.origin, size: 1042, rootHash: Self.root, time: Self.time)))
    }

    @Test func roundsTheTimeDownToWholeSeconds() throws {
        let checkpoint = try Checkpoint(
            origin: Self.origin, size: 1, rootHash: Self.root, time: Self.time.addingTimeInterval(0.999)
        )
        #expect(checkpoint.extensionLines == ["time 2026-11-25T18:00:00Z"])
        #expect(checkpoint.time == Self.time)
    }

    @Test func readsACheckpointWithoutExtensions() throws {
        // The tree head of Go's checksum database test log (golang.org/x/mod/sumdb/client_test.go): its origin
        // holds spaces, which the specification only advises against.
        let checkpoint = try Checkpoint(text: "go.sum database tree\n6\nwc4SkQt52o5W2nQ8To2ARs+mWuUJjss+sdleoiqxMmM=\n")
        #expect(checkpoint.origin == "go.sum database tree")
        #expect(checkpoint.size == 6)
        #expect(checkpoint.rootHash.count == 32)
        #expect(checkpoint.extensionLines.isEmpty)
        #expect(checkpoint.time == nil)
    }

    @Test func keepsOtherExtensionLinesInOrder() throws {
        let text = Self.origin + "\n0\n" + Self.rootBase64 + "\nfirst extension\ntime 2026-11-25T18:00:00Z\nlast\n"
        let checkpoint = try Checkpoint(text: text)
        #expect(checkpoint.extensionLines == ["first extension", "time 2026-11-25T18:00:00Z", "last"])
        #expect(checkpoint.time == Self.time)
        #expect(checkpoint.text == text)
    }

    @Test(arguments: ["0", "1", "9", "10", "18446744073709551615"])
    func readsEverySize(_ size: String) throws {
        let checkpoint = try Checkpoint(text: "\(Self.origin)\n\(size)\n\(Self.rootBase64)\n")
        #expect(String(checkpoint.size) == size)
    }

    @Test(arguments: [
        // Missing lines.
        ("", CheckpointError.Code.missingLines),
        ("\(origin)\n5\n", .missingLines),
        ("\(origin)\n5\n\(rootBase64)", .missingLines),
        ("\(origin)\n", .missingLines),
        // Origin.
        ("\n5\n\(rootBase64)\n", .malformedOrigin),
        ("clean\u{1B}room\n5\n\(rootBase64)\n", .malformedOrigin),
        // Size.
        ("\(origin)\n05\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n00\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n+5\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n-1\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n 5\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n5 \n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n1e3\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n0x10\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n\u{0665}\n\(rootBase64)\n", .malformedSize),
        ("\(origin)\n18446744073709551616\n\(rootBase64)\n", .malformedSize),
        // Root hash.
        ("\(origin)\n5\nnot base64!\n", .malformedRootHash),
        ("\(origin)\n5\n\n", .malformedRootHash),
        ("\(origin)\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n", .malformedRootHash),
        ("\(origin)\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=\n", .malformedRootHash),
        ("\(origin)\n5\n AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", .malformedRootHash),
        ("\(origin)\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\n", .malformedRootHash),
        ("\(origin)\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==\n", .malformedRootHash),
        ("\(origin)\n5\n-_-_AwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", .malformedRootHash),
        // Extension lines.
        ("\(origin)\n5\n\(rootBase64)\n\n", .malformedExtension),
        ("\(origin)\n5\n\(rootBase64)\nfirst\n\nthird\n", .malformedExtension),
        ("\(origin)\n5\n\(rootBase64)\ncarriage return\r\n", .malformedExtension),
        // The time line.
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25T18:00:00.5Z\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25T18:00:00+00:00\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25 18:00:00Z\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25t18:00:00z\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-02-30T00:00:00Z\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25T24:00:00Z\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25T18:00:60Z\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 1795629600\n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime \n", .malformedTime),
        ("\(origin)\n5\n\(rootBase64)\ntime 2026-11-25T18:00:00Z\ntime 2026-11-25T18:00:00Z\n", .malformedTime),
    ])
    func refusesMalformedText(_ text: String, _ code: CheckpointError.Code) {
        let error = #expect(throws: CheckpointError.self) { try Checkpoint(text: text) }
        #expect(error?.code == code)
    }

    @Test func refusesMalformedFields() {
        let badOrigin = #expect(throws: CheckpointError.self) {
            try Checkpoint(origin: "two\nlines", size: 1, rootHash: Self.root)
        }
        #expect(badOrigin?.code == .malformedOrigin)
        let shortRoot = #expect(throws: CheckpointError.self) {
            try Checkpoint(origin: Self.origin, size: 1, rootHash: Array(Self.root.dropLast()), time: Self.time)
        }
        #expect(shortRoot?.code == .malformedRootHash)
        let emptyExtension = #expect(throws: CheckpointError.self) {
            try Checkpoint(origin: Self.origin, size: 1, rootHash: Self.root, extensionLines: ["ok", ""])
        }
        #expect(emptyExtension?.code == .malformedExtension)
        let newlineExtension = #expect(throws: CheckpointError.self) {
            try Checkpoint(origin: Self.origin, size: 1, rootHash: Self.root, extensionLines: ["a\nb"])
        }
        #expect(newlineExtension?.code == .malformedExtension)
    }
}
