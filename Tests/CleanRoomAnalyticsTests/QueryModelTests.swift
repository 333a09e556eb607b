@testable import CleanRoomAnalytics
import CleanRoomCore
import Foundation
import Testing

/// The query's JSON shape, its checks against the principal, and named segments.
struct QueryModelTests {
    static let owner = "nordwind-analytics"
    static let partner = "alpina-outdoor"

    func decode(_ json: String) throws(AnalyticsError) -> Query {
        try Query.decode(json: Data(json.utf8))
    }

    @Test func aFullQueryDecodes() throws {
        let query = try self.decode("""
            {"purpose": "ads_measurement", "segment": "champions",
             "where": [{"attribute": "country", "in": ["DE", "AT"]}, {"attribute": "newsletter_subscriber", "equals": true},
                       {"event": "purchase", "item": "sku-1", "within": "P90D", "minCount": 2, "minAmount": 100}],
             "groupBy": ["age_band", "segment"], "segments": ["champions", "lapsed"],
             "metrics": ["people", "amount_sum"], "window": {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"},
             "conversionEvent": "purchase"}
            """)
        #expect(query.conditions == [
            .attribute(.init(attribute: "country", values: ["DE", "AT"])),
            .attribute(.init(attribute: "newsletter_subscriber", values: ["true"])),
            .event(.init(event: "purchase", item: "sku-1", within: Policy.Period(iso8601: "P90D"), minCount: 2,
                         minAmount: 100)),
        ])
        #expect(query.metrics == [.people, .amountSum])
        #expect(query.groupBy == ["age_band", "segment"])
        guard case .between(let from, let to) = query.window else {
            Issue.record("the window is \(query.window)")
            return
        }
        #expect(to.timeIntervalSince(from) == 31 * 86_400)
        // Its canonical form reads back as the same query.
        #expect(try self.decode(query.canonicalJSON.text) == query)
    }

    @Test(arguments: [
        (#"{"metrics": ["people"]}"#, "purpose"),
        (#"{"purpose": "analytics", "metrics": ["pepole"]}"#, "metrics"),
        (#"{"purpose": "analytics", "groupby": ["country"]}"#, "groupby"),
        (#"{"purpose": "analytics", "where": [{"attribute": "country"}]}"#, "where[0]"),
        (#"{"purpose": "analytics", "where": [{"event": "purchase", "minCout": 2}]}"#, "where[0].minCout"),
        (#"{"purpose": "analytics", "where": [{"event": "purchase", "within": "90d"}]}"#, "where[0].within"),
        (#"{"purpose": "analytics", "where": [{"event": "purchase", "minCount": 0}]}"#, "where[0].minCount"),
        (#"{"purpose": "analytics", "window": {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}}"#,
         "window.to"),
        (#"{"purpose": 7}"#, "purpose"),
    ])
    func aMalformedQueryNamesItsField(json: String, field: String) {
        let error = #expect(throws: AnalyticsError.self) { try self.decode(json) }
        #expect(error?.code == .invalidQuery)
        #expect(error?.field == field)
    }

    @Test func thePolicyLimitsEachPrincipalAndNamesTheRule() throws {
        let policy = testPolicy()
        let segments = try SegmentCatalog.load(path: policiesFolder.appendingPathComponent("segments.yaml").path, policy: policy)
        func check(_ query: Query, as name: String) -> AnalyticsError? {
            do {
                try QueryPlan.check(query, principal: policy.principal(named: name)!, policy: policy, segments: segments)
                return nil
            } catch {
                return error
            }
        }
        #expect(check(Query(purpose: "ads_measurement", groupBy: ["country"]), as: Self.partner) == nil)
        #expect(check(Query(purpose: "analytics"), as: Self.partner)?.rule == "principal.purpose")
        #expect(check(Query(purpose: "ads_measurement", groupBy: ["city"]), as: Self.partner)?.rule == "principal.dimension")
        #expect(check(Query(purpose: "ads_measurement",
                            conditions: [.attribute(.init(attribute: "gender", values: ["female"]))]), as: Self.partner)?
            .rule == "principal.dimension")
        #expect(check(Query(purpose: "ads_measurement", metrics: [.recencyDaysAverage]), as: Self.partner)?.rule
            == "principal.metric")
        #expect(check(Query(purpose: "ads_measurement", segment: "lapsed"), as: Self.partner)?.rule == "principal.segment")
        #expect(check(Query(purpose: "ads_measurement", segment: "champions"), as: Self.partner) == nil)
        #expect(check(Query(purpose: "analytics"), as: "dpo")?.rule == "role.query")
        #expect(check(Query(purpose: "no_such_purpose"), as: Self.owner)?.field == "purpose")
        #expect(check(Query(purpose: "analytics", conditions: [.attribute(.init(attribute: "country", values: ["XX"]))]),
                      as: Self.owner)?.field == "where[0]")
        #expect(check(Query(purpose: "analytics", conditions: [.event(.init(event: "visit", minAmount: 5))]), as: Self.owner)?
            .field == "where[0].minAmount")
        #expect(check(Query(purpose: "analytics", groupBy: ["segment"]), as: Self.owner)?.field == "segments")
    }

    @Test func theShippedSegmentsLoadAndBadOnesAreRefused() throws {
        let policy = testPolicy()
        let shipped = try SegmentCatalog.load(path: policiesFolder.appendingPathComponent("segments.yaml").path, policy: policy)
        #expect(shipped.segments.map(\.name) == ["champions", "loyal", "at_risk", "new_customers", "lapsed", "gold_members"])
        let cases: [(String, String?)] = [
            ("segments:\n  - {name: a, where: [{event: purchas}]}\n", "segments.a.where[0].event"),
            ("segments:\n  - {name: a, where: []}\n", nil),
            ("segments:\n  - {name: a, where: [{event: purchase}]}\n  - {name: a, where: [{event: visit}]}\n", "segments.a"),
            ("segments:\n  - {name: a, wher: [{event: purchase}]}\n", nil),
        ]
        for (yaml, field) in cases {
            let error = #expect(throws: AnalyticsError.self) { try SegmentCatalog.parse(yaml: yaml, policy: policy) }
            #expect(error?.code == .invalidSegments)
            if let field { #expect(error?.field == field) }
        }
    }

    @Test func segmentsSelectTheirRFMTiersAndBreakAnAnswerDown() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: [Self.owner]))
        typealias P = AnalyticsFixture.Purchase
        // Champions: 5 purchases in a year for ≥ 500, the last within 30 days.
        try fixture.people(6, purchases: (0..<5).map { P(daysAgo: Double(10 + 40 * $0), amount: 120) })
        // At risk: two purchases, none in the last 90 days.
        try fixture.people(7, purchases: [P(daysAgo: 200, amount: 30), P(daysAgo: 120, amount: 30)])
        // New: a first purchase 5 days ago.
        try fixture.people(5, purchases: [P(daysAgo: 5, amount: 30)])
        // Lapsed: bought 400 days ago only.
        try fixture.people(8, purchases: [P(daysAgo: 400, amount: 30)])
        let analyst = try fixture.analyst()
        for (segment, expected) in [("champions", 6.0), ("at_risk", 7), ("new_customers", 5), ("lapsed", 8)] {
            let answer = try analyst.run(Query(purpose: "analytics", segment: segment), as: Self.owner)
            #expect(answer.total.values[.people] == expected, "\(segment)")
        }
        let breakdown = try analyst.run(
            Query(purpose: "analytics", groupBy: ["segment"], segments: ["champions", "at_risk", "new_customers", "lapsed"]),
            as: Self.owner)
        #expect(breakdown.cells.map(\.labels) == [["champions"], ["at_risk"], ["new_customers"], ["lapsed"], ["(none)"]])
        #expect(breakdown.value(.people, "at_risk") == 7)
        #expect(breakdown.isSuppressed("(none)"))
        #expect(breakdown.total.values[.people] == 26)
    }

    @Test func rfmMetricsAverageOverBuyers() throws {
        let fixture = try AnalyticsFixture(policy: testPolicy(exempt: [Self.owner]))
        try fixture.people(5, purchases: [.init(daysAgo: 10, amount: 20), .init(daysAgo: 4, amount: 40)])
        try fixture.people(5, purchases: [.init(daysAgo: 20, amount: 30)])
        try fixture.people(3)
        let answer = try fixture.analyst().run(
            Query(purpose: "analytics", metrics: [.people, .recencyDaysAverage, .frequencyAverage, .monetaryAverage,
                                                  .amountAverage, .conversionRate]),
            as: Self.owner)
        #expect(answer.total.values[.people] == 13)
        #expect(answer.total.values[.recencyDaysAverage] == 12)  // (5 × 4 + 5 × 20) / 10
        #expect(answer.total.values[.frequencyAverage] == 1.5)
        #expect(answer.total.values[.monetaryAverage] == 45)  // (5 × 60 + 5 × 30) / 10
        #expect(answer.total.values[.amountAverage] == 30)  // 450 over 15 purchases
        #expect(answer.total.values[.conversionRate] == nil)  // 3 non-buyers: under k
    }
}
