/// Calendar arithmetic on seconds since 1970-01-01T00:00:00Z, and the RFC 3339 text of a time, without
/// Foundation's formatters (which cost microseconds per call and would dominate generating millions of events).
enum DemoTimestamp {
    /// Seconds in a day.
    static let day: Int64 = 86_400

    /// The day number (days since 1970-01-01) of a proleptic Gregorian date, or `nil` when there is no such date.
    /// (Howard Hinnant's `days_from_civil`.)
    static func days(year: Int, month: Int, day: Int) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= self.daysInMonth(year: year, month: month) else {
            return nil
        }
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of day number `days` (Howard Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The number of days of `month` in `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Appends the RFC 3339 text of `seconds` since the epoch to `bytes`: `2026-03-01T10:00:00Z`, with
    /// `.mmm` when `milliseconds` is given, and written in local time with `+hh:mm` when `offsetMinutes` is not 0.
    static func append(
        seconds: Int64, milliseconds: Int? = nil, offsetMinutes: Int = 0, to bytes: inout [UInt8]
    ) {
        let local = seconds + Int64(offsetMinutes) * 60
        let days = local >= 0 ? local / self.day : (local - self.day + 1) / self.day
        let secondOfDay = Int(local - days * self.day)
        let date = self.civil(days: days)
        self.appendDigits(date.year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        self.appendDigits(date.month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        self.appendDigits(date.day, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        self.appendDigits(secondOfDay / 3600, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        self.appendDigits(secondOfDay / 60 % 60, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        self.appendDigits(secondOfDay % 60, count: 2, to: &bytes)
        if let milliseconds {
            bytes.append(UInt8(ascii: "."))
            self.appendDigits(milliseconds, count: 3, to: &bytes)
        }
        if offsetMinutes == 0 {
            bytes.append(UInt8(ascii: "Z"))
        } else {
            bytes.append(UInt8(ascii: offsetMinutes > 0 ? "+" : "-"))
            self.appendDigits(abs(offsetMinutes) / 60, count: 2, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            self.appendDigits(abs(offsetMinutes) % 60, count: 2, to: &bytes)
        }
    }

    /// The RFC 3339 text of `seconds` since the epoch, in UTC.
    static func string(seconds: Int64) -> String {
        var bytes: [UInt8] = []
        self.append(seconds: seconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` (non-negative) as exactly `count` decimal digits, with leading zeros.
    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
