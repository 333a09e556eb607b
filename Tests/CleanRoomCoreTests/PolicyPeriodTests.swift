import CleanRoomCore
import Foundation
import Testing

struct PolicyPeriodTests {
    @Test(arguments: [
        ("P2Y", 2, 0, 0, "P2Y"),
        ("P6M", 0, 6, 0, "P6M"),
        ("P30D", 0, 0, 30, "P30D"),
        ("P2W", 0, 0, 14, "P14D"),
        ("P1Y6M", 1, 6, 0, "P1Y6M"),
        ("P1Y2M3W4D", 1, 2, 25, "P1Y2M25D"),
        ("P0Y1D", 0, 0, 1, "P1D"),
    ])
    func parsesISO8601DatePeriods(text: String, years: Int, months: Int, days: Int, canonical: String) throws {
        let period = try #require(Policy.Period(iso8601: text))
        #expect(period.years == years)
        #expect(period.months == months)
        #expect(period.days == days)
        #expect(period.description == canonical)
    }

    @Test(arguments: [
        "", "P", "2Y", "P2", "PY", "P-1Y", "P+1Y", "P1.5Y", "P1,5Y", "PT12H", "P1DT1H", "P1M1Y", "P1D1D", "P0D",
        "p2y", "P 2Y", "P2Y ", "P1000000D", "P٣D",
    ])
    func rejectsAnythingElse(text: String) {
        #expect(Policy.Period(iso8601: text) == nil)
    }

    private func date(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    @Test func addsCalendarMonthsClampedToTheMonthEnd() throws {
        let period = try #require(Policy.Period(iso8601: "P1M"))
        #expect(period.added(to: try self.date("2026-01-31T10:00:00Z")) == (try self.date("2026-02-28T10:00:00Z")))
        #expect(period.added(to: try self.date("2028-01-31T10:00:00Z")) == (try self.date("2028-02-29T10:00:00Z")))
        #expect(period.added(to: try self.date("2026-03-15T23:59:59Z")) == (try self.date("2026-04-15T23:59:59Z")))
    }

    @Test func subtractsForARetentionCutOff() throws {
        let period = try #require(Policy.Period(iso8601: "P2Y30D"))
        let now = try self.date("2026-03-31T00:00:00Z")
        #expect(period.subtracted(from: now) == (try self.date("2024-03-01T00:00:00Z")))
        let days = try #require(Policy.Period(iso8601: "P90D"))
        #expect(days.subtracted(from: now) == now.addingTimeInterval(-90 * 86_400))
    }
}
