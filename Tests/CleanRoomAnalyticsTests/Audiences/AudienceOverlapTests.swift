@testable import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomCrypto
import CleanRoomRights
import CleanRoomStore
import Foundation
import Testing

/// Audience overlaps under the privacy contract (DESIGN.md section 6.6), with the probes of issue 7: k = 5 here.
struct AudienceOverlapTests {
    func people(_ answer: QueryAnswer) -> Double? {
        answer.total.values[.people]
    }

    // MARK: Matching

    @Test(arguments: PartnerForm.allCases)
    func aFilePreparedForAnyPlatformMatches(form: PartnerForm) throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...7)
        let id = try home.upload(customers.map { $0.hash(form) } + (1...20).map { _ in decoyHash() })
        #expect(self.people(try home.overlap(id)) == 7)
    }

    @Test func aCustomerMatchCSVOfPhoneDigitsAndEmailsMatchesEachPersonOnce() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...6)
        let rows = customers.map { "\($0.hash(.google).hex),\($0.hash(.digits).hex),Anna,DE" }
        let body = Data((["Email,Phone,First Name,Country"] + rows).joined(separator: "\r\n").utf8)
        let audience = try home.book.upload(body, as: AudienceHome.advertiser)
        #expect(audience.hashes == 12)
        #expect(self.people(try home.overlap(audience.id)) == 6)
    }

    @Test func peopleIngestedAfterTheUploadMatchAtTheNextOverlap() throws {
        let home = try AudienceHome()
        let customers = (1...12).map(Customer.init)
        let id = try home.upload(customers.map { $0.hash() })
        #expect(try home.overlap(id).total.isSuppressed)
        try home.customers(1...12)
        #expect(self.people(try home.overlap(id)) == 12)
    }

    @Test func theMatchIndexAgreesWithAFreshLoad() throws {
        let home = try AudienceHome()
        try home.customers(1...9)
        _ = try home.desk().erase(PersonIdentifier(kind: .email, value: Customer(3).email))
        try home.customers(10...12)
        // Each person's distinct hashes: for gmail.com the google and uid2 profiles coincide.
        let hashes = Set((1...12).flatMap { number in PartnerForm.allCases.map { Customer(number).hash($0) } })
        let keys = home.lookupKeys(hashes)
        let kept = try home.book.matchIndex.subjects(matchingAscending: keys).sorted()
        let fresh = try MatchIndex(store: home.store).subjects(matchingAscending: keys).sorted()
        #expect(kept == fresh)
        // Eleven people, each under five distinct pseudonyms (google and uid2 coincide for gmail.com).
        #expect(hashes.count == 12 * 5)
        #expect(kept.count == 11 * 5)
        #expect(Set(kept).count == 11)
    }

    @Test func aRetentionSweepRebuildsTheIndexWithoutThePeopleItRemoves() throws {
        let home = try AudienceHome()
        try home.customers(1...6)
        // A person held for four years with nothing left but an e-mail, whom the sweep removes.
        let old = Customer(40)
        let matchKey = HMACSHA256.Authenticator(key: home.keyring.matchKey)
        try home.store.write { transaction in
            let subject = try transaction.subjects.create(at: Date() - 4 * 365 * 86_400)
            try transaction.identifiers.add(StoredIdentifier(
                subject: subject, kind: .email, sealed: [1, 2, 3],
                variants: [.init(name: "basic", pseudonym: old.hash().pseudonym(using: matchKey))], addedAt: Date()))
        }
        let keys = home.lookupKeys([old.hash(), Customer(1).hash()])
        #expect(try home.book.matchIndex.subjects(matchingAscending: keys).count == 2)
        _ = try RetentionSweep(store: home.store, policy: home.policy, audit: home.audit, principal: ("cli", "admin"))
            .run(at: Date())
        #expect(try home.book.matchIndex.subjects(matchingAscending: keys).count == 1)
        #expect(try home.book.matchIndex.subjects(matchingAscending: home.lookupKeys([old.hash()])).isEmpty)
    }

    // MARK: The probes of issue 7

    @Test func aOneHashUploadIsSuppressed() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...20)
        let answer = try home.overlap(try home.upload([customers[0].hash()]))
        #expect(answer.total.isSuppressed)
        #expect(answer.total.values.isEmpty)
        #expect(answer.json.text.contains(#""total":{"suppressed":true}"#))
        let entry = try #require(try home.auditEntries().last)
        #expect(entry.record.action == .audienceOverlap)
        #expect(entry.record.decision == .allowed("privacy.contract_met"))
        #expect(entry.record.cohortSizes == [])
        #expect(entry.record.suppressedCells > 0)
    }

    @Test func kMinusOneDecoysAndOneTargetAreSuppressed() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...20)
        let decoys = (1...4).map { _ in decoyHash() }
        #expect(try home.overlap(try home.upload(decoys + [customers[7].hash()])).total.isSuppressed)
        // Nor do decoys prepared in every form, nor the target's own hash in every form, make up k.
        let target = PartnerForm.allCases.map { customers[7].hash($0) }
        #expect(try home.overlap(try home.upload(decoys + target)).total.isSuppressed)
    }

    @Test func theSameListWithoutOneHashIsRefusedByTheDifferencingGuard() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...12)
        let list = customers.map { $0.hash() }
        #expect(self.people(try home.overlap(try home.upload(list))) == 12)

        let withoutOne = try home.upload(Array(list.dropLast()))
        let error = #expect(throws: AnalyticsError.self) { try home.overlap(withoutOne) }
        #expect(error?.code == .refused)
        #expect(error?.rule == "privacy.differencing_guard")
        let refusal = try #require(try home.auditEntries().last)
        #expect(refusal.record.action == .audienceOverlap)
        #expect(refusal.record.decision == .refused("privacy.differencing_guard"))
        #expect(refusal.record.resultDigest == nil)

        // The same list again is the same group; one without k of its people is another group.
        #expect(self.people(try home.overlap(try home.upload(list))) == 12)
        #expect(self.people(try home.overlap(try home.upload(Array(list.dropLast(5))))) == 7)
        // The guard spans the principal's queries too: a query about the same people less one is refused.
        let query = Query(
            purpose: "partner_matching",
            conditions: [.attribute(.init(attribute: "country", values: ["DE"]))])
        #expect(self.people(try home.analyst.run(query, as: AudienceHome.advertiser)) == 12)
        try home.customers(13...13)
        #expect(throws: AnalyticsError.self) { try home.analyst.run(query, as: AudienceHome.advertiser) }
    }

    @Test func withdrawingPartnerMatchingRemovesThePersonFromTheNextOverlap() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...6)
        let list = customers.map { $0.hash(.e164) }
        #expect(self.people(try home.overlap(try home.upload(list))) == 6)
        _ = try home.desk().withdraw(PersonIdentifier(kind: .email, value: customers[0].email), purposes: [
            "partner_matching"
        ])
        // Another partner, without history, sees one person fewer; the first partner's next overlap would be a
        // group one person smaller than before, and is refused.
        let publisherList = try home.upload(list, as: AudienceHome.publisher)
        #expect(self.people(try home.overlap(publisherList, as: AudienceHome.publisher)) == 5)
        #expect(throws: AnalyticsError.self) { try home.overlap(try home.upload(list)) }
    }

    @Test func anErasedPersonNeverMatches() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...6)
        let erased = customers[2]
        _ = try home.desk().erase(PersonIdentifier(kind: .email, value: erased.email))
        let everyForm = customers.flatMap { customer in PartnerForm.allCases.map { customer.hash($0) } }
        #expect(self.people(try home.overlap(try home.upload(everyForm))) == 5)
        // Not even in the match index; and ingesting the person again is suppressed.
        try home.customers(3...3)
        let keys = home.lookupKeys(PartnerForm.allCases.map { erased.hash($0) })
        #expect(try home.book.matchIndex.subjects(matchingAscending: keys).isEmpty)
        #expect(self.people(try home.overlap(try home.upload(everyForm))) == 5)
    }

    // MARK: Ownership and the query

    @Test func aPartnerCannotOverlapAnotherPartnersAudience() throws {
        let home = try AudienceHome()
        let customers = try home.customers(1...8)
        let theirs = try home.upload(customers.map { $0.hash() }, as: AudienceHome.publisher)
        let another = #expect(throws: AnalyticsError.self) { try home.overlap(theirs, as: AudienceHome.advertiser) }
        let unknown = #expect(throws: AnalyticsError.self) {
            try home.overlap(String(repeating: "z", count: 28), as: AudienceHome.advertiser)
        }
        #expect(another?.code == .notFound)
        #expect(another == unknown)
        let refusal = try #require(try home.auditEntries().last)
        #expect(refusal.record.decision == .refused("audience.not_found"))
        // The owner has no audience of its own either, and cannot use a partner's.
        let owner = #expect(throws: AnalyticsError.self) { try home.overlap(theirs, as: AudienceHome.owner) }
        #expect(owner?.code == .notFound)
    }

    @Test func anOverlapIsForPartnerMatchingAndItsBreakdownForTheDimensionsThePrincipalMayUse() throws {
        let home = try AudienceHome()
        let id = try home.upload((try home.customers(1...10) + (try home.customers(11...17, country: "FR"))).map {
            $0.hash()
        })
        let wrongPurpose = #expect(throws: AnalyticsError.self) {
            try home.overlap(id, query: Query(purpose: "ads_measurement"))
        }
        #expect(wrongPurpose?.code == .invalidQuery)
        #expect(wrongPurpose?.field == "purpose")
        let notAllowed = #expect(throws: AnalyticsError.self) {
            try home.overlap(id, query: Query(purpose: "partner_matching", groupBy: ["gender"]))
        }
        #expect(notAllowed?.rule == "principal.dimension")

        let answer = try home.overlap(id, query: Query(purpose: "partner_matching", groupBy: ["country"]))
        #expect(answer.value(.people, "DE") == 10)
        #expect(answer.value(.people, "FR") == 7)
        #expect(answer.isSuppressed("AT"))
        let entry = try #require(try home.auditEntries().last)
        #expect(entry.record.action == .audienceOverlap)
        guard case .object(let request) = entry.record.request else {
            Issue.record("the audited request is not an object")
            return
        }
        #expect(request["audience"] == .string(id))
        #expect(request["groupBy"] == .array([.string("country")]))
        #expect(entry.record.cohortSizes.first == 17)
    }
}
