@testable import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import Foundation
import Synchronization
import Testing

struct AuditLogTests {
    @Test func entriesAreNumberedLinkedAndSurviveReopening() throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        let (log, report) = try folder.open(folder.options(checkpointEvery: 4))
        #expect(report == AuditLog.OpenReport(size: 0, truncatedBytes: 0, recovery: nil, lastPolicyDigest: nil))
        for number in 0..<10 {
            let receipt = try log.append(queryRecord(number))
            #expect(receipt.sequence == number)
        }
        try log.close()
        #expect(throws: AuditError.self) { try log.append(queryRecord(10)) }

        let summary = try folder.verify()
        #expect(summary.size == 10)
        #expect(summary.newestCheckpointSize == 10)
        var previousRoots: [[UInt8]] = []
        try AuditReader.forEachEntry(in: folder.directory) { entry in
            previousRoots.append(entry.previousRoot)
            #expect(entry.record == queryRecord(entry.sequence))
        }
        let reopened = try folder.open().log
        #expect(reopened.size == 10)
        for size in 0..<10 {
            #expect(previousRoots[size] == (try reopened.rootHash(size: size)))
        }
        #expect(try reopened.append(queryRecord(10)).sequence == 10)
        try reopened.close()
        #expect(try folder.verify().size == 11)
    }

    @Test func anEntryLineIsCheckableWithSHA256Alone() throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        let log = try folder.open().log
        try log.append(queryRecord(0))
        try log.close()
        let line = try #require(try folder.lines(of: folder.firstSegment).first)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"entry":{"action":"query","cohort_sizes":[120,80],"#))
        let entry = Array(line.dropFirst(9).dropLast(81))
        let stored = String(decoding: line.dropLast(3).suffix(64), as: UTF8.self)
        #expect(Hex.encode(SHA256.hash([0] + entry)) == stored)
    }

    @Test func segmentsRollOverAndCheckpointsAreWrittenEveryNEntries() throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        let log = try folder.open(folder.options(checkpointEvery: 5, segmentCapacity: 4)).log
        for number in 0..<11 { try log.append(queryRecord(number)) }
        #expect(try AuditFiles(directory: folder.directory).segments() == [0, 4, 8])
        #expect(try AuditFiles(directory: folder.directory).checkpointSizes() == [5, 10])
        try log.close()
        #expect(try AuditFiles(directory: folder.directory).checkpointSizes() == [5, 10, 11])
        #expect(try folder.verify() .checkpoints == 4)
    }

    @Test(arguments: [AuditLog.CommitMode.group, .perEntry])
    func concurrentWritersMakeOneVerifiableLog(mode: AuditLog.CommitMode) throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        let log = try folder.open(folder.options(checkpointEvery: 500, segmentCapacity: 3000, commitMode: mode)).log
        let writers = 8
        let perWriter = mode == .group ? 1000 : 250
        // Real threads, as concurrent requests would be: appends block until durable, and blocking the few
        // threads of Swift's cooperative pool would stall every other test running meanwhile.
        let sequences = Mutex<[[Int]]>(Array(repeating: [], count: writers))
        let done = DispatchGroup()
        for writer in 0..<writers {
            done.enter()
            Thread {
                let mine = (0..<perWriter).compactMap { number in
                    try? log.append(queryRecord(number, principal: "writer-\(writer)")).sequence
                }
                sequences.withLock { $0[writer] = mine }
                done.leave()
            }.start()
        }
        done.wait()
        let parts = sequences.withLock { $0 }
        for part in parts {
            #expect(part.count == perWriter)
            #expect(part == part.sorted(), "one writer's entries keep its order")
        }
        #expect(parts.flatMap { $0 }.sorted() == Array(0..<(writers * perWriter)))
        try log.close()
        let summary = try folder.verify()
        #expect(summary.size == writers * perWriter)
        var perPrincipal: [String: Int] = [:]
        try AuditReader.forEachEntry(in: folder.directory) { perPrincipal[$0.record.principal, default: 0] += 1 }
        #expect(perPrincipal.count == writers && perPrincipal.values.allSatisfy { $0 == perWriter })
    }

    @Test func aTornFinalWriteIsReportedTruncatedAndRecorded() throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        let log = try folder.open(folder.options(checkpointEvery: 3)).log
        for number in 0..<4 { try log.append(queryRecord(number)) }
        // A crash mid-write: half of a fifth line reached the file, never synced nor acknowledged.
        let fifth = AuditEntry(sequence: 4, time: "2026-11-25T18:00:00.000Z", previousRoot: try log.rootHash(size: 4),
                               record: queryRecord(4)).line
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.firstSegment))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(fifth.prefix(fifth.count / 2)))
        try handle.close()

        let before = auditError { _ = try folder.verify() }
        #expect(before?.code == .tampered)
        #expect(before?.message.contains("torn") == true)

        let (reopened, report) = try folder.open(folder.options(checkpointEvery: 3))
        #expect(report.truncatedBytes == fifth.count / 2)
        #expect(report.recovery?.contains("\(fifth.count / 2) bytes after entry 3") == true)
        #expect(report.size == 5)
        var recovery: AuditEntry?
        try AuditReader.forEachEntry(in: folder.directory, since: 4) { recovery = $0 }
        #expect(recovery?.record.action == .logRecovery)
        #expect(recovery?.record.request == .object(["truncated_bytes": .integer(fifth.count / 2)]))
        try reopened.close()
        #expect(try folder.verify().size == 5)
    }

    @Test func aWriteFailureFailsTheRequestAndEveryLaterOne() throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        // One entry per segment, so that every append opens a new file; then the folder disappears.
        let log = try folder.open(folder.options(segmentCapacity: 1)).log
        try log.append(queryRecord(0))
        try FileManager.default.removeItem(atPath: folder.directory)
        let failed = auditError { try log.append(queryRecord(1)) }
        #expect(failed?.code == .writeFailed)
        #expect(failed?.sequence == 1)
        try FileManager.default.createDirectory(atPath: folder.directory + "/checkpoints", withIntermediateDirectories: true)
        #expect(auditError { try log.append(queryRecord(2)) }?.code == .writeFailed, "fail closed until reopened")
    }

    @Test func recordsThatLookIdentifyingAreRefusedAndNothingIsWritten() throws {
        let folder = try AuditFolder()
        defer { folder.remove() }
        let log = try folder.open().log
        let identifying: [CanonicalJSON] = [
            .string("jane.doe@example.com"), .string("+49 30 1234567"), .string("(030) 123-4567"),
            .string("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), .string(Hex.encode(SHA256.hash("x"))),
            .string("FsGNM28LJQ8OLZB0Us65ZYp07NrovJSGTCMSKnLMJ6U="), .array([.string("ok"), .string("a@b.co")]),
        ]
        for value in identifying {
            var record = queryRecord(0)
            record.request = .object(["filter": value])
            #expect(auditError { try log.append(record) }?.code == .identifyingContent, "\(value)")
        }
        var principal = queryRecord(0)
        principal.principal = "jane@example.com"
        #expect(auditError { try log.append(principal) }?.code == .identifyingContent)
        #expect(log.size == 0)
        // Shapes, dates, digests under *_digest keys and long snake-case names pass.
        var fine = queryRecord(0)
        fine.request = .object([
            "content_digest": .string(Hex.encode(SHA256.hash("batch"))), "at": .string("2026-11-25T18:00:00.123Z"),
            "segment": .string("bought_category_outdoor_in_the_last_ninety_days"), "count": .integer(12_345_678),
        ])
        try log.append(fine)
        #expect(log.size == 1)
        try log.close()
    }
}
