public import CleanRoomCore
internal import Foundation
internal import Yams

/// The owner's named segments (`policies/segments.yaml`): filters with a name, usable as a query's `segment`,
/// inside a `"segment"` dimension, and granted to principals by name in the policy.
///
/// ```yaml
/// segments:
///   - name: champions
///     description: Bought at least five times in the last year, spent 500 or more, and recently.
///     where:
///       - {event: purchase, within: P365D, minCount: 5, minAmount: 500, lastWithin: P30D}
/// ```
/// A segment's `where` is a list of ``Condition``s, the same shape as a query's.
public struct SegmentCatalog: Sendable, Equatable {
    /// A named filter.
    public struct Segment: Sendable, Equatable {
        /// The segment's name.
        public let name: String
        /// What the segment means, for people reading answers.
        public let description: String?
        /// The conditions every member meets.
        public let conditions: [Condition]
    }

    /// The segments, in file order.
    public let segments: [Segment]

    /// A catalog of `segments`.
    public init(segments: [Segment] = []) {
        self.segments = segments
    }

    /// The segment called `name`, if defined.
    public func segment(named name: String) -> Segment? {
        self.segments.first { $0.name == name }
    }

    /// Reads and checks a segments file against `policy`; a missing file is an empty catalog.
    ///
    /// - Throws: ``AnalyticsError`` `invalidSegments` naming the segment and field that are wrong.
    public static func load(path: String, policy: Policy) throws(AnalyticsError) -> SegmentCatalog {
        guard FileManager.default.fileExists(atPath: path) else { return SegmentCatalog() }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw AnalyticsError(code: .invalidSegments, message: "cannot read the segments file at \(path)")
        }
        return try self.parse(yaml: text, policy: policy)
    }

    /// Reads and checks segments from YAML text against `policy`.
    ///
    /// - Throws: ``AnalyticsError`` `invalidSegments` naming the segment and field that are wrong.
    public static func parse(yaml: String, policy: Policy) throws(AnalyticsError) -> SegmentCatalog {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch let error as DecodingError {
            let problem = AnalyticsError(decoding: error)
            throw AnalyticsError(
                code: .invalidSegments, message: "segments: \(problem.message)", field: problem.field)
        } catch {
            throw AnalyticsError(code: .invalidSegments, message: "the segments file is not valid YAML: \(error)")
        }
        var seen: Set<String> = []
        for segment in file.segments {
            guard !segment.name.isEmpty, segment.name != Query.segmentDimension, seen.insert(segment.name).inserted
            else {
                throw AnalyticsError(
                    code: .invalidSegments, message: "segment names are unique, not empty and not \"segment\"",
                    field: "segments.\(segment.name)")
            }
            do {
                try ConditionCompiler.check(segment.conditions, policy: policy, field: "segments.\(segment.name).where")
            } catch {
                throw AnalyticsError(code: .invalidSegments, message: error.message, field: error.field)
            }
        }
        return SegmentCatalog(segments: file.segments)
    }

    private struct File: Decodable {
        var segments: [Segment]
    }
}

extension SegmentCatalog.Segment: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        try container.requireOnly(["name", "description", "where"], in: "a segment")
        self.name = try container.decode("name")
        self.description = try container.decodeIfPresent("description")
        self.conditions = try container.decode("where")
        guard !self.conditions.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("where"), in: container, debugDescription: "a segment has at least one condition")
        }
    }
}
