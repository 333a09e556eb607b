/// Why a query, a rules request or a segment file was refused or could not be answered.
///
/// Refusals by the policy or the privacy contract carry the ``rule`` that decided (it is also written into the
/// audit entry); malformed input carries the ``field`` that was wrong. No message ever names a person.
public struct AnalyticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs (and the HTTP status a service maps it to).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// The request is malformed or names something the policy does not declare (HTTP 400).
        public static let invalidQuery = Code(rawValue: "invalid_query")
        /// The principal may not do this (HTTP 403).
        public static let forbidden = Code(rawValue: "forbidden")
        /// The privacy contract refused to release the answer (HTTP 422).
        public static let refused = Code(rawValue: "refused")
        /// The segments file cannot be read or is not valid.
        public static let invalidSegments = Code(rawValue: "invalid_segments")
        /// The answer could not be audited or recorded, so nothing was released (HTTP 503).
        public static let unavailable = Code(rawValue: "unavailable")
    }

    /// What went wrong.
    public var code: Code
    /// What was wrong and what to do.
    public var message: String
    /// The request field at fault (`where[1].within`), for malformed input.
    public var field: String?
    /// The policy or privacy rule that refused the request (`principal.dimension`, `privacy.differencing_guard`).
    public var rule: String?

    /// An error with its code, message, and the field or rule it concerns.
    public init(code: Code, message: String, field: String? = nil, rule: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.rule = rule
    }

    public var description: String {
        var text = "\(self.code): \(self.message)"
        if let field { text += " (field \(field))" }
        if let rule { text += " [rule \(rule)]" }
        return text
    }

    static func invalid(_ message: String, field: String) -> AnalyticsError {
        AnalyticsError(code: .invalidQuery, message: message, field: field)
    }

    static func forbidden(_ message: String, rule: String) -> AnalyticsError {
        AnalyticsError(code: .forbidden, message: message, rule: rule)
    }
}
