/// A time as a record writes it: valid RFC 3339 in one of the spellings systems produce, or, in a deliberately
/// bad row, some text that is not RFC 3339.
enum DemoTime: Sendable, Equatable {
    /// `seconds` since the epoch, with `.mmm` when `milliseconds` is given, in local time with a `+hh:mm` offset
    /// when `offsetMinutes` is not 0, else with `Z`.
    case valid(seconds: Int64, milliseconds: Int?, offsetMinutes: Int)
    /// Text that is not an RFC 3339 time.
    case invalid(String)

    /// `seconds` since the epoch in the common spelling, `2026-03-01T10:00:00Z`.
    static func utc(_ seconds: Int64) -> DemoTime {
        .valid(seconds: seconds, milliseconds: nil, offsetMinutes: 0)
    }

    /// `seconds` since the epoch in the spelling of a system drawn at random: mostly whole seconds in UTC, some
    /// with milliseconds, some in Central European local time with its offset.
    static func varied(_ seconds: Int64, _ random: inout DemoRandom) -> DemoTime {
        switch random.below(100) {
        case 0..<5: return .valid(seconds: seconds, milliseconds: random.below(1000), offsetMinutes: 0)
        case 5..<8:
            return .valid(seconds: seconds, milliseconds: nil, offsetMinutes: Self.centralEuropeanOffset(seconds))
        default: return .utc(seconds)
        }
    }

    /// Texts that look like times but are not RFC 3339: an impossible date or hour, a missing offset, another
    /// notation.
    static let invalidSpellings = [
        "2025-02-30T10:00:00Z", "2025-13-01T09:15:00Z", "2025-06-01T24:30:00Z", "2025-03-01T10:00:00",
        "01.03.2025 10:00", "03/01/2025 10:00 AM", "1740823200", "yesterday", "",
    ]

    /// Writes the time as the value of the key just written.
    func write(to line: inout DemoJSONLine) {
        switch self {
        case .valid(let seconds, let milliseconds, let offsetMinutes):
            line.time(seconds, milliseconds: milliseconds, offsetMinutes: offsetMinutes)
        case .invalid(let text):
            line.string(text)
        }
    }

    /// The offset of Central European Time at `seconds`: +02:00 from April to October, roughly summer time.
    private static func centralEuropeanOffset(_ seconds: Int64) -> Int {
        let month = DemoTimestamp.civil(days: seconds / DemoTimestamp.day).month
        return (4...10).contains(month) ? 120 : 60
    }
}
