@testable import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

/// DESIGN.md section 6, each rule with the attack it defeats. k = 5 in these tests.
struct PrivacyContractTests {
    static let owner = "nordwind-analytics"
    static let partner = "alpina-outdoor"

    // MARK: k-threshold

    @Test(arguments: [4, 5, 6])
    func aCellIsReleasedFromExactlyKPeople(people: Int) throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(people, ["country": "DE"])
        try fixture.people(20, ["country": "FR"])
        let answer = try fixture.analyst().run(
            Query(purpose: "ads_measurement", groupBy: ["country"]), as: Self.partner)
        if people < 5 {
            #expect(answer.isSuppressed("DE"))
            #expect(answer.value(.people, "DE") == nil)
        } else {
            #expect(answer.value(.people, "DE") == Double(people))
        }
        #expect(answer.value(.people, "FR") == 20 || people < 5)
    }

    @Test func anEmptyCellLooksExactlyLikeASmallOne() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(2, ["country": "LU"])
        try fixture.people(20, ["country": "DE"])
        try fixture.people(20, ["country": "FR"])
        let answer = try fixture.analyst().run(Query(purpose: "ads_measurement", groupBy: ["country"]), as: Self.partner)
        // Every declared country is listed; LU (2 people) and AT (nobody) are reported the same way.
        #expect(answer.cells.count == 14)  // 13 countries and "no value"
        #expect(answer.isSuppressed("LU") && answer.isSuppressed("AT") && answer.isSuppressed(nil))
        #expect(answer.json.text.contains(#"{"country":"AT","suppressed":true}"#))
        #expect(answer.json.text.contains(#"{"country":"LU","suppressed":true}"#))
    }

    @Test func aWholeAnswerUnderKIsSuppressedNotZero() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(4, ["country": "DE"])
        let answer = try fixture.analyst().run(Query(purpose: "ads_measurement"), as: Self.partner)
        #expect(answer.total.isSuppressed)
        #expect(answer.total.values.isEmpty)
        #expect(answer.json.text.contains(#""total":{"suppressed":true}"#))
    }

    // MARK: Secondary suppression

    @Test func aSuppressedCellCannotBeRecoveredFromTheTotal() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(3, ["country": "LU"])  // under k
        try fixture.people(7, ["country": "AT"])
        try fixture.people(30, ["country": "DE"])
        let answer = try fixture.analyst().run(Query(purpose: "ads_measurement", groupBy: ["country"]), as: Self.partner)
        #expect(answer.isSuppressed("LU"))
        // The attack: total minus every released cell.
        let released = answer.cells.compactMap { $0.isSuppressed ? nil : $0.values[.people] }.reduce(0, +)
        if let total = answer.total.values[.people] {
            let derived = total - released
            #expect(derived >= 5, "the suppressed cells together must hold at least k people, not \(derived)")
            #expect(derived != 3)
        }
        // AT, the smallest released cell, was suppressed as well.
        #expect(answer.isSuppressed("AT"))
        #expect(answer.value(.people, "DE") == 30)
    }

    @Test func secondarySuppressionHoldsForSumsToo() throws {
        let fixture = try AnalyticsFixture()
        // In DE only 3 people bought anything: their sum must not be derivable from the total.
        try fixture.people(3, ["country": "DE"], purchases: [.init(daysAgo: 5, amount: 40)])
        try fixture.people(10, ["country": "DE"])
        try fixture.people(8, ["country": "FR"], purchases: [.init(daysAgo: 5, amount: 10)])
        try fixture.people(9, ["country": "NL"], purchases: [.init(daysAgo: 5, amount: 20)])
        let answer = try fixture.analyst().run(
            Query(purpose: "ads_measurement", groupBy: ["country"], metrics: [.people, .amountSum]), as: Self.partner)
        #expect(answer.value(.people, "DE") == 13)
        #expect(answer.value(.amountSum, "DE") == nil)
        let visible = answer.cells.compactMap { $0.values[.amountSum] }.reduce(0, +)
        if let total = answer.total.values[.amountSum] {
            #expect(total - visible != 120, "the three buyers' spend was recovered by subtraction")
        }
    }

    // MARK: Differencing guard

    @Test func theSameCohortMinusOneChosenPersonIsRefused() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(20, ["country": "DE", "age_band": "25-34"])
        try fixture.person(["country": "DE", "age_band": "65+"])  // the target, the only one aged 65+
        let analyst = try fixture.analyst()
        let cohort = Query(purpose: "ads_measurement", conditions: [.attribute(.init(attribute: "country", values: ["DE"]))])
        #expect(try analyst.run(cohort, as: Self.partner).total.values[.people] == 21)
        var minusOne = cohort
        minusOne.conditions.append(.attribute(.init(attribute: "age_band", values: ["65+"], negated: true)))
        let error = #expect(throws: AnalyticsError.self) { try analyst.run(minusOne, as: Self.partner) }
        #expect(error?.code == .refused)
        #expect(error?.rule == "privacy.differencing_guard")
        // The refusal is audited with the rule, after the first query's release.
        let last = try #require(try fixture.auditEntries().last)
        #expect(last.record.decision == .refused("privacy.differencing_guard"))
        #expect(last.record.action == .query)
    }

    @Test func aCellDifferingByOneFromAnEarlierTotalIsRefused() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(20, ["country": "DE", "age_band": "25-34"])
        try fixture.person(["country": "DE", "age_band": "65+"])
        // FR's smaller cell is what secondary suppression hides to protect DE × 65+, so DE × 25-34 is released.
        try fixture.people(8, ["country": "FR", "age_band": "25-34"])
        let analyst = try fixture.analyst()
        _ = try analyst.run(
            Query(purpose: "ads_measurement", conditions: [.attribute(.init(attribute: "country", values: ["DE"]))]),
            as: Self.partner)
        // The DE × 25-34 cell of a breakdown is the earlier DE cohort minus the one person aged 65+.
        #expect(throws: AnalyticsError.self) {
            try analyst.run(Query(purpose: "ads_measurement", groupBy: ["country", "age_band"]), as: Self.partner)
        }
    }

    @Test func differingByKOrMoreOrNotAtAllIsAllowed() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(20, ["country": "DE", "age_band": "25-34"])
        try fixture.people(5, ["country": "DE", "age_band": "65+"])
        let analyst = try fixture.analyst()
        let everyone = Query(purpose: "ads_measurement")
        _ = try analyst.run(everyone, as: Self.partner)
        _ = try analyst.run(everyone, as: Self.partner)  // the very same cohort again
        let minusFive = Query(
            purpose: "ads_measurement", conditions: [.attribute(.init(attribute: "age_band", values: ["25-34"]))])
        #expect(try analyst.run(minusFive, as: Self.partner).total.values[.people] == 20)
    }

    @Test func thePolicyCanExemptTheOwnersOwnPrincipal() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: [Self.owner]))
        try fixture.people(20, ["country": "DE", "age_band": "25-34"])
        try fixture.person(["country": "DE", "age_band": "65+"])
        let analyst = try fixture.analyst()
        _ = try analyst.run(Query(purpose: "analytics"), as: Self.owner)
        let minusOne = Query(
            purpose: "analytics", conditions: [.attribute(.init(attribute: "age_band", values: ["65+"], negated: true))])
        #expect(try analyst.run(minusOne, as: Self.owner).total.values[.people] == 20)
        // A partner is still held to it.
        _ = try analyst.run(Query(purpose: "ads_measurement"), as: Self.partner)
        var partnerMinusOne = minusOne
        partnerMinusOne.purpose = "ads_measurement"
        #expect(throws: AnalyticsError.self) { try analyst.run(partnerMinusOne, as: Self.partner) }
    }

    // MARK: Purpose binding

    @Test func withdrawnObjectedErasedAndExpiredPeopleNeverCount() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: [Self.owner]))
        let people = try fixture.people(30, ["country": "DE"])
        try fixture.people(5, ["country": "DE"], consents: ["analytics": false])  // never consented
        // Someone whose only data is past retention (attributes set 4 years ago, P3Y), held for 4 years.
        try fixture.person(["country": "DE"], createdDaysAgo: 1500, attributesSetDaysAgo: 1500)
        let analyst = try fixture.analyst()
        let count = Query(purpose: "analytics")
        #expect(try analyst.run(count, as: Self.owner).total.values[.people] == 30)
        // Withdrawals: the very next query drops by exactly the number withdrawn.
        for subject in people.prefix(3) { try fixture.withdraw(subject, "analytics") }
        #expect(try analyst.run(count, as: Self.owner).total.values[.people] == 27)
        // An erasure.
        try fixture.erase(people[10])
        #expect(try analyst.run(count, as: Self.owner).total.values[.people] == 26)
        // An objection to a legitimate-interest purpose.
        try fixture.store.write { transaction in
            try transaction.consent.append(StoredConsent(
                subject: people[20], purpose: "fraud_prevention", signal: .objection,
                occurredAt: AnalyticsFixture.now - 1, recordedAt: AnalyticsFixture.now, source: "test"))
        }
        let fraud = Query(purpose: "fraud_prevention")
        #expect(try analyst.run(fraud, as: Self.owner).total.values[.people] == 35 - 3 + 3 - 1 - 1)
    }

    @Test func eventsPastRetentionDoNotCountAndAWindowLimitsTheRest() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: [Self.owner]))
        // Purchases are kept P2Y; add_to_cart P6M.
        try fixture.people(6, ["country": "DE"], purchases: [
            .init(daysAgo: 800, amount: 50), .init(daysAgo: 100, amount: 20), .init(daysAgo: 10, amount: 5),
            .init(daysAgo: 200, amount: 0, type: "add_to_cart"),
        ])
        let analyst = try fixture.analyst()
        let all = try analyst.run(Query(purpose: "analytics", metrics: [.events, .amountSum]), as: Self.owner)
        #expect(all.total.values[.events] == 12)
        #expect(all.total.values[.amountSum] == 150)
        let recent = try analyst.run(
            Query(purpose: "analytics", metrics: [.events, .amountSum], window: .within(Policy.Period(iso8601: "P30D")!)),
            as: Self.owner)
        #expect(recent.total.values[.amountSum] == 30)
    }

    // MARK: Contribution bounding

    @Test func aHeavyBuyerAddsAtMostTheCapToASum() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(9, ["country": "DE"], purchases: [.init(daysAgo: 3, amount: 10)])
        try fixture.person(["country": "DE"], purchases: [.init(daysAgo: 3, amount: 90), .init(daysAgo: 2, amount: 1_000_000)])
        let answer = try fixture.analyst().run(
            Query(purpose: "ads_measurement", metrics: [.people, .amountSum]), as: Self.partner)
        let sum = try #require(answer.total.values[.amountSum])
        #expect(sum == 190, "9 × 10 and the heavy buyer's 1,000,090 clamped to 100, got \(sum)")
    }

    // MARK: Rates and averages

    @Test func aConversionRateIsWithheldWhenItWouldCountFewerThanKConvertersOrNonConverters() throws {
        let fixture = try AnalyticsFixture()
        try fixture.people(20, ["country": "DE"], purchases: [.init(daysAgo: 3, amount: 10)])
        try fixture.people(2, ["country": "DE"])  // two non-converters: the rate would single them out
        for country in ["FR", "NL"] {
            try fixture.people(10, ["country": country], purchases: [.init(daysAgo: 3, amount: 10)])
            try fixture.people(10, ["country": country])
        }
        let answer = try fixture.analyst().run(
            Query(purpose: "ads_measurement", groupBy: ["country"], metrics: [.people, .conversionRate]),
            as: Self.partner)
        #expect(answer.value(.people, "DE") == 22)
        #expect(answer.value(.conversionRate, "DE") == nil)
        // With the total's rate, FR's would give DE's: FR is withheld too, so DE's two non-converters stay hidden.
        #expect(answer.value(.conversionRate, "FR") == nil)
        #expect(answer.value(.conversionRate, "NL") == 0.5)
        #expect(answer.total.values[.conversionRate] == 40.0 / 62.0)
    }

    // MARK: Free-text breakdowns

    @Test func aFreeTextBreakdownListsOnlyCellsOfKAndPoolsTheRest() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: [Self.owner]))
        try fixture.people(8, ["city": "Hamburg"])
        try fixture.people(2, ["city": "Bremen"])
        try fixture.people(4, ["city": "Kiel"])
        let answer = try fixture.analyst().run(Query(purpose: "analytics", groupBy: ["city"]), as: Self.owner)
        #expect(answer.cells.map(\.labels) == [["Hamburg"]])
        #expect(!answer.json.text.contains("Bremen") && !answer.json.text.contains("Kiel"))
        #expect(answer.other?.values[.people] == 6)
    }

    // MARK: Audit before answer

    @Test func everyAnswerIsAuditedWithItsDigestAndItsCohortIsRecorded() throws {
        let fixture = try AnalyticsFixture()
        let people = try fixture.people(6, ["country": "DE"])
        let answer = try fixture.analyst().run(Query(purpose: "ads_measurement"), as: Self.partner)
        let entry = try #require(try fixture.auditEntries().first { $0.sequence == answer.auditSequence })
        #expect(entry.record.decision == .allowed("privacy.contract_met"))
        #expect(entry.record.cohortSizes == [6])
        #expect(entry.record.principal == Self.partner)
        #expect(entry.record.resultDigest != nil)
        let included = try fixture.store.read { try $0.cohortReleases.auditSequences(including: people[0]) }
        #expect(included == [answer.auditSequence])
    }
}
