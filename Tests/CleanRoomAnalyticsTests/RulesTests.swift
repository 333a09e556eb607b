@testable import CleanRoomAnalytics
import CleanRoomAudit
import CleanRoomCore
import CleanRoomStore
import Foundation
import Testing

/// k-anonymous association rules (k = 5): released only over groups of at least k people, with no inference
/// channel to a smaller one.
struct RulesTests {
    static let owner = "nordwind-analytics"

    /// People who each bought `items` once, 5 days ago.
    func buyers(_ fixture: AnalyticsFixture, _ count: Int, _ items: [String]) throws {
        try fixture.people(count, purchases: [.init(daysAgo: 5, amount: 10, items: items)])
    }

    func rules(
        _ fixture: AnalyticsFixture, support: Double = 0.05, confidence: Double = 0, item: String? = nil
    ) throws -> RulesAnswer {
        try fixture.analyst().rules(
            RulesRequest(purpose: "analytics", minimumSupport: support, minimumConfidence: confidence, item: item),
            as: Self.owner, at: AnalyticsFixture.now)
    }

    @Test func rulesCarryTheirSupportConfidenceAndLiftOverDistinctPeople() throws {
        let fixture = try AnalyticsFixture()
        try self.buyers(fixture, 20, ["boots", "socks"])
        try self.buyers(fixture, 10, ["boots"])
        try self.buyers(fixture, 10, ["socks"])
        // Two purchases of the same items by one person count once.
        try fixture.people(5, purchases: [
            .init(daysAgo: 5, amount: 10, items: ["tent"]), .init(daysAgo: 4, amount: 10, items: ["tent", "tent"]),
        ])
        let answer = try self.rules(fixture)
        #expect(answer.people == 45)
        let rule = try #require(answer.rules.first { $0.antecedent == ["boots"] && $0.consequent == ["socks"] })
        #expect(rule.support == 20.0 / 45)
        #expect(rule.confidence == 20.0 / 30)
        #expect(abs(rule.lift - (20.0 / 30) / (30.0 / 45)) < 1e-12)
        // The audit entry was written first, with the number of people mined.
        let entry = try #require(try fixture.auditEntries().first { $0.sequence == answer.auditSequence })
        #expect(entry.record.action == .rules)
        #expect(entry.record.cohortSizes == [45])
    }

    @Test func aRuleWhoseAntecedentWithoutConsequentIsFewerThanKIsWithheld() throws {
        let fixture = try AnalyticsFixture()
        try self.buyers(fixture, 12, ["x", "y"])
        try self.buyers(fixture, 2, ["x"])  // with the support of x and of {x, y}, these two would be singled out
        try self.buyers(fixture, 30, ["z"])
        let answer = try self.rules(fixture)
        // x → y tells supp(x) − supp(x, y) = 2 directly; y → x tells supp(x) through its lift: both withheld.
        #expect(!answer.rules.contains { Set($0.antecedent + $0.consequent) == ["x", "y"] })
        #expect(answer.withheld == 2)
    }

    @Test func noReleasedSupportsCombineIntoASmallGroup() throws {
        let fixture = try AnalyticsFixture()
        try self.buyers(fixture, 10, ["a", "b", "c"])
        try self.buyers(fixture, 8, ["a", "b"])
        try self.buyers(fixture, 8, ["a", "c"])
        try self.buyers(fixture, 8, ["b", "c"])
        try self.buyers(fixture, 3, ["a"])
        let answer = try self.rules(fixture, support: 0.1)
        // Rebuild every support the released rules tell, and try every inclusion–exclusion count on them.
        var supports: [Set<String>: Double] = [[]: Double(answer.people ?? 0)]
        for rule in answer.rules {
            let people = Double(answer.people ?? 0)
            supports[Set(rule.antecedent + rule.consequent)] = (rule.support * people).rounded()
            supports[Set(rule.antecedent)] = (rule.support * people / rule.confidence).rounded()
            supports[Set(rule.consequent)] = (rule.confidence / rule.lift * people).rounded()
        }
        for (larger, _) in supports {
            for smaller in supports.keys where smaller.isSubset(of: larger) && smaller != larger {
                let between = supports.keys.filter { smaller.isSubset(of: $0) && $0.isSubset(of: larger) }
                guard between.count == 1 << (larger.count - smaller.count) else { continue }
                let count = between.reduce(0.0) { $0 + ($1.count % 2 == smaller.count % 2 ? 1 : -1) * supports[$1]! }
                #expect(count == 0 || count >= 5, "\(smaller) without the rest of \(larger): \(count) people")
            }
        }
        #expect(!answer.rules.isEmpty)
    }

    @Test func recommendationsForOneItemUseTheSameThresholds() throws {
        let fixture = try AnalyticsFixture()
        try self.buyers(fixture, 15, ["boots", "socks"])
        try self.buyers(fixture, 10, ["boots", "laces"])
        try self.buyers(fixture, 6, ["boots", "hat"])
        try self.buyers(fixture, 3, ["boots", "scarf"])  // too few people
        try self.buyers(fixture, 20, ["tent"])
        let answer = try self.rules(fixture, item: "boots")
        #expect(answer.rules.map(\.consequent) == [["socks"], ["laces"], ["hat"]])
        #expect(answer.rules.allSatisfy { $0.antecedent == ["boots"] })
    }

    @Test func fewerThanKBuyersReleaseNothingNotEvenTheirNumber() throws {
        let fixture = try AnalyticsFixture()
        try self.buyers(fixture, 4, ["boots", "socks"])
        let answer = try self.rules(fixture)
        #expect(answer.people == nil && answer.rules.isEmpty)
        #expect(answer.json.text.contains(#""people":{"suppressed":true}"#))
    }

    @Test func withdrawnPeoplesBasketsAreNotMined() throws {
        let fixture = try AnalyticsFixture()
        try self.buyers(fixture, 10, ["boots", "socks"])
        try fixture.people(10, purchases: [.init(daysAgo: 5, amount: 10, items: ["tent"])], consents: ["analytics": false])
        let answer = try self.rules(fixture)
        #expect(answer.people == 10)
        #expect(!answer.json.text.contains("tent"))
    }

    @Test func aRulesRequestIsCheckedAndRefusalsAreAudited() throws {
        let fixture = try AnalyticsFixture()
        let analyst = try fixture.analyst()
        let bad: [(RulesRequest, String, String?)] = [
            (RulesRequest(purpose: "analytics", minimumSupport: 0, minimumConfidence: 0.5), Self.owner, "minSupport"),
            (RulesRequest(purpose: "analytics", minimumSupport: 0.1, minimumConfidence: 1.5), Self.owner, "minConfidence"),
            (RulesRequest(purpose: "analytics", minimumSupport: 0.1, minimumConfidence: 0.5, maximumLength: 1), Self.owner,
             "maxLength"),
            (RulesRequest(purpose: "analytics", minimumSupport: 0.1, minimumConfidence: 0.5, eventType: "visit"), Self.owner,
             "eventType"),
            (RulesRequest(purpose: "analytics", minimumSupport: 0.1, minimumConfidence: 0.5), "alpina-outdoor", nil),
        ]
        for (request, principal, field) in bad {
            let error = #expect(throws: AnalyticsError.self) {
                try analyst.rules(request, as: principal, at: AnalyticsFixture.now)
            }
            #expect(error?.field == field)
        }
        let refusals = try fixture.auditEntries().filter { $0.record.action == .rules }
        #expect(refusals.map(\.record.decision.rule) == ["query.invalid", "query.invalid", "query.invalid", "query.invalid",
                                                        "principal.purpose"])
    }
}
