import CleanRoomCore

/// The counts `cleanroom hash` reports on standard error, by reason and never by value.
struct HashSummary: Equatable, CustomStringConvertible {
    /// Values hashed.
    var hashed = 0
    /// Values left out for being empty.
    var skipped = 0
    /// Values rejected, by reason.
    var rejected: [IdentifierError.Code: Int] = [:]

    /// Counts one value rejected for `code`.
    mutating func reject(_ code: IdentifierError.Code) {
        self.rejected[code, default: 0] += 1
    }

    /// E.g. `hashed 998, rejected 2 (invalid_phone: 1, missing_at: 1)`, then `, skipped 3 empty` if any.
    var description: String {
        var text = "hashed \(self.hashed), rejected \(self.rejected.values.reduce(0, +))"
        if !self.rejected.isEmpty {
            let counts = self.rejected.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            text += " (" + counts.joined(separator: ", ") + ")"
        }
        if self.skipped > 0 {
            text += ", skipped \(self.skipped) empty"
        }
        return text
    }
}
