@testable import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomStore
import Foundation
import Testing

/// Uploading, listing, deleting and expiring audiences: stored only as pseudonyms, each partner's its own, audited
/// with counts only.
struct AudienceBookTests {
    @Test func anUploadIsStoredAsPseudonymsUnderTheMatchKeyOrderedByKeyAndListedWithoutThem() throws {
        let home = try AudienceHome()
        let hashes = (1...3).map { Customer($0).hash() }
        let time = Date(timeIntervalSince1970: 1_790_000_000)
        let id = try home.upload(hashes + [hashes[0]], at: time)
        #expect(id.count == 28 && id.allSatisfy { $0.isLowercase && $0.isLetter })

        let listed = try home.book.audiences(of: AudienceHome.advertiser, at: time)
        #expect(listed == [AudienceSummary(
            id: id, createdAt: time, expiresAt: time + 30 * 86_400, hashes: 3)])
        #expect(listed[0].json.text.contains(#""hashes":3"#))

        let matchKey = HMACSHA256.Authenticator(key: home.keyring.matchKey)
        let stored = try #require(try home.store.read { try $0.audiences.pseudonyms(ofAudience: id) })
        // Ordered by their first 8 bytes (which, for three random HMACs, is their byte order).
        let expected = hashes.map { $0.pseudonym(using: matchKey).bytes }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(stored == expected.flatMap { $0 })
        // No hash is anywhere in the database's files, in bytes or in hex.
        let database = home.root + "/cleanroom.sqlite"
        let file = try [database, database + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }
            .reduce(Data()) { $0 + (try Data(contentsOf: URL(fileURLWithPath: $1))) }
        #expect(file.range(of: Data(stored.prefix(32))) != nil)  // the search does find what is there
        for hash in hashes {
            #expect(file.range(of: Data(hash.bytes)) == nil)
            #expect(file.range(of: Data(hash.hex.utf8)) == nil)
        }
    }

    @Test func idsAreRandom() throws {
        let home = try AudienceHome()
        let ids = try (1...20).map { _ in try home.upload([Customer(1).hash()]) }
        #expect(Set(ids).count == 20)
    }

    @Test func aPartnerSeesAndDeletesOnlyItsOwnAndCannotTellAnotherFromAnUnknownId() throws {
        let home = try AudienceHome()
        let mine = try home.upload([Customer(1).hash()], as: AudienceHome.advertiser)
        let theirs = try home.upload([Customer(2).hash()], as: AudienceHome.publisher)
        #expect(try home.book.audiences(of: AudienceHome.advertiser).map(\.id) == [mine])
        #expect(try home.book.audiences(of: AudienceHome.publisher).map(\.id) == [theirs])

        let another = #expect(throws: AudienceError.self) { try home.book.delete(theirs, as: AudienceHome.advertiser) }
        let unknown = #expect(throws: AudienceError.self) {
            try home.book.delete(String(repeating: "q", count: 28), as: AudienceHome.advertiser)
        }
        let malformed = #expect(throws: AudienceError.self) {
            try home.book.delete("anna.berg1@gmail.com", as: AudienceHome.advertiser)
        }
        #expect(another?.code == .notFound)
        #expect(another == unknown && unknown == malformed)
        #expect(try home.book.audiences(of: AudienceHome.publisher).map(\.id) == [theirs])

        try home.book.delete(mine, as: AudienceHome.advertiser)
        #expect(try home.book.audiences(of: AudienceHome.advertiser).isEmpty)
        #expect(throws: AudienceError.self) { try home.book.delete(mine, as: AudienceHome.advertiser) }

        // Audited: the deletion with its count, each refusal without the value sent.
        let entries = try home.auditEntries().filter { $0.record.action == .audienceDelete }
        #expect(entries.map(\.record.decision) == [
            .refused("audience.not_found"), .refused("audience.not_found"), .refused("audience.not_found"),
            .allowed("audience.deleted"), .refused("audience.not_found"),
        ])
        #expect(entries[2].record.request == .object(["audience": .string("(malformed)")]))
        #expect(entries[3].record.request == .object(["audience": .string(mine), "hashes": .integer(1)]))
    }

    @Test(arguments: [
        (AudienceHome.owner, "role.audience"), ("dpo", "role.audience"), ("nobody", "principal.unknown"),
    ])
    func onlyPartnersHoldAudiences(principal: String, rule: String) throws {
        let home = try AudienceHome()
        let error = #expect(throws: AudienceError.self) {
            try home.book.upload(Data(Customer(1).hash().hex.utf8), as: principal)
        }
        #expect(error?.code == .forbidden)
        #expect(error?.rule == rule)
        #expect(throws: AudienceError.self) { try home.book.audiences(of: principal) }
        let refusal = try #require(try home.auditEntries().last)
        #expect(refusal.record.action == .audienceUpload)
        #expect(refusal.record.decision == .refused(rule))
    }

    @Test func uploadsAreAuditedWithCountsOnlyAndRefusalsToo() throws {
        let home = try AudienceHome()
        let hashes = (1...3).map { Customer($0).hash() }
        let id = try home.upload(hashes)
        #expect(throws: AudienceError.self) {
            try home.book.upload(Data("\(hashes[0].hex)\nanna.berg1@gmail.com\n".utf8), as: AudienceHome.advertiser)
        }
        let entries = try home.auditEntries().filter { $0.record.action == .audienceUpload }
        #expect(entries.count == 2)
        #expect(entries[0].record.decision == .allowed("audience.stored"))
        #expect(entries[0].record.purpose == "partner_matching")
        #expect(entries[0].record.request == .object([
            "audience": .string(id), "format": .string("hash_lines"), "hashes": .integer(3),
        ]))
        #expect(entries[1].record.decision == .refused("audience.invalid_upload"))
        // No hash in any form, nor the refused value, reaches the log.
        let log = try home.auditEntries().map { $0.record.request.text }.joined()
        for hash in hashes {
            #expect(!log.contains(hash.hex) && !log.contains(hash.base64))
        }
        #expect(!log.contains("anna"))
    }

    @Test func audiencesExpireAfterTheRetentionAndTheExpiryIsAudited() throws {
        let home = try AudienceHome()
        let start = Date()
        let id = try home.upload([Customer(1).hash(), Customer(2).hash()], at: start)
        let publishers = try home.upload([Customer(3).hash()], as: AudienceHome.publisher, at: start + 86_400)
        let beforeExpiry = start + 30 * 86_400 - 1
        #expect(try home.book.audiences(of: AudienceHome.advertiser, at: beforeExpiry).map(\.id) == [id])
        #expect(try home.book.expire(at: beforeExpiry) == 0)

        let expiry = start + 30 * 86_400
        #expect(try home.book.audiences(of: AudienceHome.advertiser, at: expiry).isEmpty)
        #expect(try home.store.read { try $0.audiences.count() } == 1)  // the publisher's, a day younger
        let overlap = #expect(throws: AnalyticsError.self) { try home.overlap(id, at: expiry) }
        #expect(overlap?.code == .notFound)
        // An expired audience cannot be deleted either: it is gone.
        let deletion = #expect(throws: AudienceError.self) {
            try home.book.delete(publishers, as: AudienceHome.publisher, at: expiry + 86_400)
        }
        #expect(deletion?.code == .notFound)
        #expect(try home.store.read { try $0.audiences.count() } == 0)
        #expect(try home.book.expire(at: expiry + 86_400) == 0)

        let expiries = try home.auditEntries().filter { $0.record.action == .audienceExpiry }
        #expect(expiries.map(\.record.principal) == [AudienceHome.advertiser, AudienceHome.publisher])
        #expect(expiries[0].record.request == .object(["audiences": .integer(1), "hashes": .integer(2)]))
        #expect(expiries[0].record.decision == .allowed("audiences.retention"))
    }
}
