public import CleanRoomCore
internal import Foundation

extension Query {
    /// The query in canonical JSON, as written into its audit entry: its shape only (names, values compared
    /// with, periods), in the same field names it is written in.
    public var canonicalJSON: CanonicalJSON {
        var fields: [String: CanonicalJSON] = [
            "purpose": .string(self.purpose),
            "metrics": .array(self.metrics.map { .string($0.rawValue) }),
            "conversionEvent": .string(self.conversionEvent),
        ]
        if let segment { fields["segment"] = .string(segment) }
        if !self.conditions.isEmpty { fields["where"] = .array(self.conditions.map(\.canonicalJSON)) }
        if !self.groupBy.isEmpty { fields["groupBy"] = .array(self.groupBy.map(CanonicalJSON.string)) }
        if !self.segments.isEmpty { fields["segments"] = .array(self.segments.map(CanonicalJSON.string)) }
        fields["window"] = self.window.canonicalJSON
        return .object(fields)
    }
}

extension Query.Window {
    /// The window as written in a request (`{"within": "P90D"}` or `{"from": …, "to": …}`); `nil` for all events.
    var canonicalJSON: CanonicalJSON? {
        switch self {
        case .all: nil
        case .within(let period): .object(["within": .string(period.description)])
        case .between(let from, let to):
            .object(["from": .string(from.formatted(.iso8601)), "to": .string(to.formatted(.iso8601))])
        }
    }
}

extension Condition {
    /// The condition in canonical JSON, in the field names it is written in.
    public var canonicalJSON: CanonicalJSON {
        switch self {
        case .attribute(let condition):
            return .object([
                "attribute": .string(condition.attribute),
                condition.negated ? "notIn" : "in": .array(condition.values.map(CanonicalJSON.string)),
            ])
        case .event(let condition):
            var fields: [String: CanonicalJSON] = ["event": .string(condition.event)]
            fields["item"] = condition.item.map(CanonicalJSON.string)
            fields["within"] = condition.within.map { .string($0.description) }
            fields["minCount"] = .integer(condition.minCount)
            fields["maxCount"] = condition.maxCount.map(CanonicalJSON.integer)
            fields["minAmount"] = condition.minAmount.map(CanonicalJSON.number)
            fields["maxAmount"] = condition.maxAmount.map(CanonicalJSON.number)
            fields["lastWithin"] = condition.lastWithin.map { .string($0.description) }
            fields["lastBefore"] = condition.lastBefore.map { .string($0.description) }
            fields["firstWithin"] = condition.firstWithin.map { .string($0.description) }
            return .object(fields)
        }
    }
}

extension QueryAnswer {
    /// The answer as JSON: each cell with its labels and values, suppressed cells and metrics marked
    /// `"suppressed"`, the total, k and the audit entry.
    ///
    /// ```json
    /// {"audit_sequence": 12, "k": 50, "dimensions": ["country"], "metrics": ["people"],
    ///  "cells": [{"country": "DE", "people": 812}, {"country": "LU", "suppressed": true}],
    ///  "total": {"people": 1904}}
    /// ```
    public var json: CanonicalJSON {
        var fields = self.contentJSON
        if case .object(var members) = fields {
            members["audit_sequence"] = .integer(self.auditSequence)
            fields = .object(members)
        }
        return fields
    }

    /// The answer without its audit sequence: what the audit entry's result digest is taken over.
    var contentJSON: CanonicalJSON {
        var fields: [String: CanonicalJSON] = [
            "k": .integer(self.k),
            "dimensions": .array(self.dimensions.map(CanonicalJSON.string)),
            "metrics": .array(self.metrics.map { .string($0.rawValue) }),
            "cells": .array(self.cells.map { self.json(of: $0) }),
            "total": self.json(of: self.total),
        ]
        if let other { fields["other"] = self.json(of: other) }
        return .object(fields)
    }

    private func json(of cell: Cell) -> CanonicalJSON {
        var fields: [String: CanonicalJSON] = [:]
        for (dimension, label) in zip(self.dimensions, cell.labels) {
            fields[dimension] = label.map(CanonicalJSON.string) ?? .null
        }
        if cell.isSuppressed {
            fields["suppressed"] = .bool(true)
            return .object(fields)
        }
        for metric in self.metrics {
            fields[metric.rawValue] = cell.values[metric].map(Self.number) ?? .object(["suppressed": .bool(true)])
        }
        return .object(fields)
    }

    /// Counts as integers, other values rounded to 4 decimal places.
    static func number(_ value: Double) -> CanonicalJSON {
        if value == value.rounded(), abs(value) < 1e15 { return .integer(Int(value)) }
        return .number((value * 10_000).rounded() / 10_000)
    }
}
