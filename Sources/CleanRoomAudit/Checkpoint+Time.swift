import Foundation

extension Checkpoint {
    /// The start of CleanRoom's time extension line.
    static let timeLinePrefix = "time "

    /// RFC 3339 in UTC with whole seconds, as in `2026-11-25T18:00:00Z`.
    private static let timeFormat = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// Returns `time <RFC 3339 UTC>` for `time`, rounded down to whole seconds.
    static func timeLine(for time: Date) -> String {
        let seconds = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
        return Self.timeLinePrefix + seconds.formatted(Self.timeFormat)
    }

    /// Returns the time of the one `time` extension line in `lines`, or `nil` when there is none.
    static func time(in lines: [String]) throws -> Date? {
        let timeLines = lines.enumerated().filter { $0.element.hasPrefix(Self.timeLinePrefix) }
        guard let (offset, line) = timeLines.first else { return nil }
        guard timeLines.count == 1 else {
            throw CheckpointError(code: .malformedTime, message: "a checkpoint has at most one time extension line")
        }
        let text = String(line.dropFirst(Self.timeLinePrefix.count))
        // Parsing and formatting again refuses every spelling but the canonical one: fractions, offsets,
        // lowercase letters, and out-of-range fields that a parser would carry over.
        guard let time = try? Self.timeFormat.parse(text), time.formatted(Self.timeFormat) == text else {
            throw CheckpointError(
                code: .malformedTime,
                message: "line \(offset + 4) must be 'time YYYY-MM-DDTHH:MM:SSZ' (RFC 3339, UTC, whole seconds)"
            )
        }
        return time
    }
}
