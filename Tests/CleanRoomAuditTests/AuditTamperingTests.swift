@testable import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Testing

/// Every way of altering the log on disk is found, naming the first bad sequence number; and a log found
/// altered does not open (nothing is answered).
struct AuditTamperingTests {
    /// A closed log of 12 entries with checkpoints at 4, 8 and 12.
    func makeLog() throws -> AuditFolder {
        let folder = try AuditFolder()
        let log = try folder.open(folder.options(checkpointEvery: 4)).log
        for number in 0..<12 { try log.append(queryRecord(number)) }
        try log.close()
        #expect(try folder.verify().size == 12)
        return folder
    }

    func expectTampered(_ folder: AuditFolder, at sequence: Int?, _ words: String) {
        let error = auditError { _ = try folder.verify() }
        #expect(error?.code == .tampered)
        #expect(error?.sequence == sequence, "\(error?.message ?? "no error")")
        #expect(error?.message.contains(words) == true, "\(error?.message ?? "no error")")
        let opening = auditError { _ = try folder.open() }
        #expect(opening?.code == .tampered, "a tampered log refuses to open")
    }

    @Test(arguments: [0, 5, 11])
    func oneFlippedByteInAnEntry(sequence: Int) throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        var lines = try folder.lines(of: folder.firstSegment)
        let text = String(decoding: lines[sequence], as: UTF8.self)
        let flipped = text.replacingOccurrences(of: "\"number\":\(sequence)", with: "\"number\":\(sequence + 100)")
        #expect(flipped != text)
        lines[sequence] = Array(flipped.utf8)
        try folder.write(lines: lines, to: folder.firstSegment)
        self.expectTampered(folder, at: sequence, "leaf hash does not match")
    }

    @Test func aChangedEntryWhoseLeafHashWasRewrittenIsPinnedByTheNextEntry() throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        var lines = try folder.lines(of: folder.firstSegment)
        let parts = try #require(AuditLine.split(lines[6][...]))
        let entry = String(decoding: parts.entryBytes, as: UTF8.self)
            .replacingOccurrences(of: "\"suppressed_cells\":1", with: "\"suppressed_cells\":0")
        lines[6] = AuditLine.prefix + Array(entry.utf8) + AuditLine.infix
            + Array(Hex.encode(MerkleHash.leafHash(Array(entry.utf8))).utf8) + AuditLine.suffix
        try folder.write(lines: lines, to: folder.firstSegment)
        self.expectTampered(folder, at: 6, "entry 6 was changed")
    }

    @Test func aDeletedEntry() throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        var lines = try folder.lines(of: folder.firstSegment)
        lines.remove(at: 3)
        try folder.write(lines: lines, to: folder.firstSegment)
        self.expectTampered(folder, at: 3, "expected entry 3 but found entry 4")
    }

    @Test func twoSwappedEntries() throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        var lines = try folder.lines(of: folder.firstSegment)
        lines.swapAt(7, 8)
        try folder.write(lines: lines, to: folder.firstSegment)
        self.expectTampered(folder, at: 7, "expected entry 7 but found entry 8")
    }

    @Test func truncationAfterACheckpoint() throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        let lines = try folder.lines(of: folder.firstSegment)
        try folder.write(lines: Array(lines.prefix(10)), to: folder.firstSegment)
        self.expectTampered(folder, at: 10, "entries 10…11 were removed")
    }

    @Test func aCheckpointForgedWithAnotherKey() throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        let forger = try Ed25519PrivateKey.generate()
        let files = AuditFiles(directory: folder.directory)
        let forged = try SignedCheckpoint.sign(
            checkpoint: Checkpoint(origin: "cleanroom/audit", size: 12, rootHash: Array(repeating: 7, count: 32), time: Date()),
            name: "cleanroom/audit", key: forger
        )
        try Data(forged.utf8).write(to: URL(fileURLWithPath: files.checkpointPath(size: 12)))
        let error = auditError { _ = try folder.verify() }
        #expect(error?.code == .tampered)
        #expect(error?.message.contains("000000000012.checkpoint") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("forged or altered") == true)
    }

    @Test func anInsertedEntry() throws {
        let folder = try self.makeLog()
        defer { folder.remove() }
        var lines = try folder.lines(of: folder.firstSegment)
        lines.insert(lines[2], at: 5)
        try folder.write(lines: lines, to: folder.firstSegment)
        self.expectTampered(folder, at: 5, "expected entry 5 but found entry 2")
    }
}
