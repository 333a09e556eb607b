import ArgumentParser
import CleanRoomAudit
import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

@testable import CleanRoomCLI

/// `cleanroom rights …` end to end on a home made by `init`.
struct RightsCommandTests {
    /// A home holding two customers who consented to analytics.
    func home(in directory: TemporaryDirectory) throws -> CleanRoomHome {
        let home = try initializedHome(in: directory)
        let file = directory.path("customers.jsonl")
        let lines = (1...2).map { person in
            #"{"type":"customer","customer_id":"c-\#(person)","email":"ana.\#(person)@example.org","#
                + #""attributes":{"country":"DE"},"consent":{"analytics":true},"consent_at":"2026-03-01T10:00:00Z"}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        try runCleanRoom(["ingest", file, "--home", home.root, "--json"])
        return home
    }

    func requests(_ home: CleanRoomHome) throws -> [StoredRightsRequest] {
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        return try store.read { try $0.rightsRequests.all() }
    }

    @Test func withdrawAccessEraseAndListLeaveAnAuditedRecordOfEachRequest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)

        try runCleanRoom(["rights", "withdraw", "--email", "Ana.1@Example.org", "--purpose", "analytics", "--home", home.root])
        let export = directory.path("export.json")
        try runCleanRoom(["rights", "access", "--customer-id", "c-1", "--out", export, "--home", home.root])
        #expect(try mode(export) == 0o600)
        let text = try String(contentsOfFile: export, encoding: .utf8)
        #expect(text.contains("ana.1@example.org"))
        #expect(text.contains(#""choice":"withdrawn""#))
        try runCleanRoom(["rights", "erase", "--customer-id", "c-1", "--home", home.root])
        try runCleanRoom(["rights", "erase", "--email", "ana.1@example.org", "--home", home.root])
        try runCleanRoom(["rights", "list", "--home", home.root])

        let requests = try self.requests(home)
        #expect(requests.map(\.kind) == [.withdrawal, .access, .erasure, .erasure])
        #expect(requests.map(\.outcome) == ["withdrawn", "exported", "erased", "already_erased"])
        #expect(requests.allSatisfy { $0.completedAt != nil && $0.subject == nil })

        // Each request has its audit entry, and none of them holds the identifier.
        var rightsEntries = 0
        try AuditReader.forEachEntry(in: home.auditDirectory) { entry in
            if entry.record.action == .rightsRequest { rightsEntries += 1 }
        }
        #expect(rightsEntries == 4)
        let audit = try FileManager.default.contentsOfDirectory(atPath: home.auditDirectory)
            .compactMap { FileManager.default.contents(atPath: home.auditDirectory + "/" + $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(!audit.contains("ana.1") && !audit.contains("c-1\""))
        try runCleanRoom(["audit", "verify", "--home", home.root])
    }

    @Test(arguments: [
        ["rights", "withdraw", "--purpose", "analytics"],
        ["rights", "withdraw", "--email", "a@example.org", "--phone", "+4930123456", "--all"],
        ["rights", "withdraw", "--email", "a@example.org"],
        ["rights", "object", "--email", "a@example.org", "--all", "--purpose", "analytics"],
        ["rights", "access", "--email", "a@example.org"],
    ])
    func aRequestWithoutExactlyOneIdentifierOrWithoutPurposesIsRefusedBeforeAnything(arguments: [String]) throws {
        #expect(throws: (any Error).self) { _ = try CleanRoomCommand.parseAsRoot(arguments) }
    }

    @Test func anUnknownPurposeChangesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)
        #expect(throws: (any Error).self) {
            try runCleanRoom(["rights", "withdraw", "--customer-id", "c-2", "--purpose", "profiling", "--home", home.root])
        }
        #expect(try self.requests(home).isEmpty)
    }

    /// Erasure needs no key rotation, and a rotation afterwards re-wraps only the keys still held: it cannot bring
    /// an erased person back.
    @Test func aKeyRotationAfterAnErasureDoesNotReviveThePerson() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let home = try self.home(in: directory)
        try runCleanRoom(["rights", "erase", "--customer-id", "c-1", "--home", home.root])
        try runCleanRoom(["keys", "rotate", "--home", home.root])
        try runCleanRoom(["rights", "access", "--customer-id", "c-1", "--out", directory.path("c-1.json"), "--home", home.root])
        try runCleanRoom(["rights", "erase", "--customer-id", "c-1", "--home", home.root])
        #expect(try self.requests(home).compactMap(\.outcome) == ["erased", "no_data_held", "already_erased"])
        #expect(!FileManager.default.fileExists(atPath: directory.path("c-1.json")))
        let store = try Store.open(path: home.databaseFile, options: home.storeOptions())
        defer { try? store.close() }
        #expect(try store.read { try $0.dataKeys.countsByKEKVersion() } == [2: 1])
        #expect(try store.read { try $0.subjects.count() } == 1)
    }
}
