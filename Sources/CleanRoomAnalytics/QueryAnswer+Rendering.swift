internal import CleanRoomCore
internal import Foundation

extension QueryAnswer {
    /// The answer as an aligned text table for people: one row per cell, the total last, suppressed values shown
    /// as `suppressed`, then k and the audit entry.
    public var table: String {
        let header = self.dimensions + self.metrics.map(\.rawValue)
        var rows = self.cells.map { self.row($0, labels: $0.labels.map { $0 ?? "(no value)" }) }
        if let other { rows.append(self.row(other, labels: self.dimensions.map { _ in "(other)" })) }
        rows.append(self.row(self.total, labels: self.dimensions.isEmpty ? [] : ["total"] + self.dimensions.dropFirst().map { _ in "" }))
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        let line = { (row: [String]) in
            zip(row, widths).enumerated().map { column, field in
                column < self.dimensions.count
                    ? field.0.padding(toLength: field.1, withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: field.1 - field.0.count) + field.0
            }.joined(separator: "  ")
        }
        var text = ([header] + rows).map(line).joined(separator: "\n")
        text += "\n\nk = \(self.k): groups of fewer people are suppressed; audit entry \(self.auditSequence)\n"
        return text
    }

    /// The answer as CSV (RFC 4180): a header of dimensions and metrics, one row per cell, the total last with
    /// `total` in the first dimension column (or a `total` column when there are no dimensions); a suppressed
    /// value is the text `suppressed`.
    public var csv: String {
        let quote = { (field: String) -> String in
            field.contains(where: { ",\"\r\n".contains($0) })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        let header = (self.dimensions.isEmpty ? ["total"] : self.dimensions) + self.metrics.map(\.rawValue)
        var rows = self.cells.map { self.row($0, labels: $0.labels.map { $0 ?? "" }) }
        if let other { rows.append(self.row(other, labels: self.dimensions.map { _ in "(other)" })) }
        rows.append(self.row(self.total, labels: ["total"] + self.dimensions.dropFirst().map { _ in "" }))
        return ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private func row(_ cell: Cell, labels: [String]) -> [String] {
        labels + self.metrics.map { metric in
            guard let value = cell.values[metric], !cell.isSuppressed else { return "suppressed" }
            switch Self.number(value) {
            case .integer(let integer): return String(integer)
            case .number(let number): return String(number)
            default: return String(value)
            }
        }
    }
}
