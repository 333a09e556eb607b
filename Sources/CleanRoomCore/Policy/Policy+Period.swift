public import Foundation

extension Policy {
    /// A calendar period written as an ISO 8601 duration with date parts only: `P2Y`, `P6M`, `P30D`, `P2W`,
    /// `P1Y6M`.
    ///
    /// Weeks are kept as days (`P2W` is `P14D`). Periods are calendar arithmetic in UTC, so `P1M` after
    /// 31 January ends on the last day of February, as a retention period or a response deadline is
    /// meant.
    public struct Period: Sendable, Hashable, CustomStringConvertible {
        /// Whole years.
        public let years: Int
        /// Whole months.
        public let months: Int
        /// Whole days (weeks included).
        public let days: Int

        init(years: Int = 0, months: Int = 0, days: Int = 0) {
            self.years = years
            self.months = months
            self.days = days
        }

        /// Parses an ISO 8601 duration with date parts only (`PnYnMnWnD`, each part optional but at least
        /// one present, in that order); returns `nil` for anything else, including time parts (`PT12H`),
        /// fractions, signs and a zero period.
        public init?(iso8601 text: String) {
            var rest = Substring(text)
            guard rest.popFirst() == "P", !rest.isEmpty else { return nil }
            var parts: [Character: Int] = [:]
            let order: [Character] = ["Y", "M", "W", "D"]
            var nextDesignator = 0
            while !rest.isEmpty {
                let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
                guard !digits.isEmpty, digits.count <= 6, let value = Int(digits) else { return nil }
                rest = rest.dropFirst(digits.count)
                guard let designator = rest.popFirst(),
                    let position = order[nextDesignator...].firstIndex(of: designator)
                else { return nil }
                parts[designator] = value
                nextDesignator = position + 1
            }
            self.years = parts["Y", default: 0]
            self.months = parts["M", default: 0]
            self.days = parts["W", default: 0] * 7 + parts["D", default: 0]
            guard self.years + self.months + self.days > 0 else { return nil }
        }

        /// The canonical ISO 8601 text: years, months and days, zero parts left out (`P1Y6M`, `P14D`).
        public var description: String {
            var text = "P"
            if self.years > 0 { text += "\(self.years)Y" }
            if self.months > 0 { text += "\(self.months)M" }
            if self.days > 0 { text += "\(self.days)D" }
            return text
        }

        /// The instant this period after `date`, in the UTC Gregorian calendar.
        public func added(to date: Date) -> Date {
            self.shift(date, by: 1)
        }

        /// The instant this period before `date`, in the UTC Gregorian calendar (e.g. a retention cut-off).
        public func subtracted(from date: Date) -> Date {
            self.shift(date, by: -1)
        }

        private func shift(_ date: Date, by sign: Int) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            let components = DateComponents(
                year: sign * self.years,
                month: sign * self.months,
                day: sign * self.days
            )
            // Adding whole calendar units to a valid date in UTC always has a result.
            return calendar.date(byAdding: components, to: date)!
        }
    }
}
